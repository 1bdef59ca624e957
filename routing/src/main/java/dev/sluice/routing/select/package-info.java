/** Route lookup: indexed first-match selection of a frontend's backend. */
package dev.sluice.routing.select;
