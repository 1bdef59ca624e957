package dev.sluice.routing.service;

import java.util.List;
import java.util.Map;

/**
 * One destination of a service (Docker Flow Proxy's {@code ServiceDest}): the un-suffixed
 * parameters ({@code index} 0) or those suffixed {@code .N}, with the un-suffixed values as fallback.
 *
 * @param port           0 when only {@code httpsPort} is given
 * @param domainAlgo     the fetch of the domain ACL (a leading {@code *} in a domain makes it {@code hdr_end(host)})
 * @param srcPort        0: any port of the frontend (http) — required in tcp and sni mode
 * @param timeoutServer  seconds, {@code -1} when not set (likewise the other timeouts)
 * @param sslVerifyNone  TLS to the service, its certificate not verified ({@code ssl verify none})
 */
public record Destination(int index, String reqMode, int port, List<String> servicePath, String pathType,
                          List<String> servicePathExclude, List<String> serviceDomain, String domainAlgo,
                          int srcPort, int httpsPort, int srcHttpsPort, boolean httpsOnly, int httpsRedirectCode,
                          List<String> redirectFromDomain, Map<String, String> serviceHeader,
                          List<String> userAgent, List<String> allowedMethods, List<String> deniedMethods,
                          boolean denyHttp, boolean ignoreAuthorization, String outboundHostname,
                          int timeoutServer, int timeoutTunnel, int timeoutClient, boolean checkTcp,
                          List<SearchReplace> reqPathSearchReplace, boolean sslVerifyNone) {

    public Destination {
        servicePath = List.copyOf(servicePath);
        servicePathExclude = List.copyOf(servicePathExclude);
        serviceDomain = List.copyOf(serviceDomain);
        redirectFromDomain = List.copyOf(redirectFromDomain);
        serviceHeader = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(serviceHeader));
        userAgent = List.copyOf(userAgent);
        allowedMethods = List.copyOf(allowedMethods);
        deniedMethods = List.copyOf(deniedMethods);
        reqPathSearchReplace = List.copyOf(reqPathSearchReplace);
    }

    /** A copy whose domain ACL uses {@code algo}. */
    public Destination withDomainAlgo(String algo) {
        return new Destination(index, reqMode, port, servicePath, pathType, servicePathExclude, serviceDomain, algo,
                srcPort, httpsPort, srcHttpsPort, httpsOnly, httpsRedirectCode, redirectFromDomain, serviceHeader,
                userAgent, allowedMethods, deniedMethods, denyHttp, ignoreAuthorization, outboundHostname,
                timeoutServer, timeoutTunnel, timeoutClient, checkTcp, reqPathSearchReplace, sslVerifyNone);
    }

    public boolean isHttp() {
        return "http".equals(reqMode);
    }

    /** The upstream host: {@code outboundHostname}, else the service's name (its Swarm VIP). */
    public String upstreamHost(String serviceName) {
        return outboundHostname.isEmpty() ? serviceName : outboundHostname;
    }
}
