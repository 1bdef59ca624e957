package dev.sluice.proxy;

import java.net.InetSocketAddress;

/** A frontend's {@code bind} could not be opened. The message names the port and what to do. */
public final class BindFailedException extends Exception {

    private final InetSocketAddress address;

    public BindFailedException(String frontend, InetSocketAddress address, Throwable cause) {
        super(message(frontend, address, cause), cause);
        this.address = address;
    }

    public InetSocketAddress address() {
        return address;
    }

    private static String message(String frontend, InetSocketAddress address, Throwable cause) {
        String reason = cause == null ? "unknown error" : String.valueOf(cause.getMessage());
        String hint;
        String lower = reason.toLowerCase();
        if (lower.contains("in use")) {
            hint = "another process listens there; stop it or choose another port";
        } else if (lower.contains("permission") || lower.contains("denied")) {
            hint = "ports below 1024 need root or CAP_NET_BIND_SERVICE; run with that right or choose a port >= 1024";
        } else if (lower.contains("assign") || lower.contains("unresolved")) {
            hint = "the address is not one of this host's; bind to 0.0.0.0 or a local address";
        } else {
            hint = "check the bind line";
        }
        int port = address.getPort();
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return "frontend '" + frontend + "': cannot listen on " + host + ':' + port + " (" + reason + "): " + hint;
    }
}
