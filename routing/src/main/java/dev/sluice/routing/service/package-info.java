/**
 * Docker Flow Proxy's services: the parameters of {@code reconfigure} (and of {@code com.df.*}
 * labels and {@code DFP_SERVICE_*} variables) parsed and validated into {@link
 * dev.sluice.routing.service.ServiceSpec}s, and the configuration Docker Flow Proxy's templates
 * would generate for them, merged into the static configuration's {@code services} frontend.
 */
package dev.sluice.routing.service;
