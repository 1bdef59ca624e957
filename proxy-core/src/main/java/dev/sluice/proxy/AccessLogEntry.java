package dev.sluice.proxy;

/**
 * One proxied request as the access log tells it, with HAProxy's timers in milliseconds
 * ({@code -1}: the step did not happen, as HAProxy writes it).
 *
 * @param acceptMillis when the request's first byte arrived (epoch ms)
 * @param requestMs    %TR: until the request's head was complete
 * @param connectMs    %Tc: connecting to the server (0 for a pooled connection)
 * @param responseMs   %Tr: from sending the request to the response's head
 * @param totalMs      %Ta: from the request's first byte to the response's last
 * @param bytesOut     %B: bytes sent to the client
 * @param termination  %tsc: HAProxy's four characters, {@code ----} when all went well
 */
public record AccessLogEntry(String clientIp, int clientPort, long acceptMillis, String frontend, boolean tls,
                             String backend, String server, long requestMs, long connectMs, long responseMs,
                             long totalMs, int status, long bytesOut, String termination, int frontendConnections,
                             int serverConnections, int retries, String method, String uri, String version) {
}
