/** Lock-free load-balancing algorithms behind {@link dev.sluice.routing.Balancer}'s factories. */
package dev.sluice.routing.balance;
