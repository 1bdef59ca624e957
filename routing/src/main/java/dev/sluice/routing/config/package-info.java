/** Sluice's HAProxy configuration language: the immutable model, the parser and the renderer. */
package dev.sluice.routing.config;
