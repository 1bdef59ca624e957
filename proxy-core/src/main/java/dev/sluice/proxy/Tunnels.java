package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Frontend;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/** Turns two connected channels into a byte tunnel (after a 101, and for {@code mode tcp}). */
final class Tunnels {

    private Tunnels() {
    }

    /** HAProxy: {@code timeout tunnel}, else the larger of {@code timeout client} and {@code timeout server}. */
    static long idleTimeoutMs(Frontend frontend, Backend backend) {
        if (backend.timeouts().tunnelMs() > 0) {
            return backend.timeouts().tunnelMs();
        }
        if (frontend.timeouts().tunnelMs() > 0) {
            return frontend.timeouts().tunnelMs();
        }
        return Math.max(frontend.timeouts().clientMs(), backend.timeouts().serverMs());
    }

    /**
     * Replaces every handler of both pipelines but TLS with a {@link TunnelHandler}, then links them.
     * Bytes a decoder still held when it was removed reach the tunnel and are forwarded.
     * Both channels must be on the calling event loop.
     */
    static void splice(Channel client, Channel origin, long idleTimeoutMs) {
        TunnelHandler.Activity activity = new TunnelHandler.Activity();
        TunnelHandler toOrigin = new TunnelHandler(idleTimeoutMs, activity, true);
        TunnelHandler toClient = new TunnelHandler(idleTimeoutMs, activity, false);
        client.pipeline().addLast("tunnel", toOrigin);
        origin.pipeline().addLast("tunnel", toClient);
        removeAllBut(client.pipeline(), toOrigin);
        removeAllBut(origin.pipeline(), toClient);
        toOrigin.link(origin);
        toClient.link(client);
    }

    private static void removeAllBut(ChannelPipeline pipeline, ChannelHandler keep) {
        for (String name : pipeline.names()) {
            ChannelHandler h = pipeline.get(name);
            // TLS stays: the tunnel carries the bytes inside it (an ssl bind, an ssl server)
            if (h != null && h != keep && !(h instanceof io.netty.handler.ssl.SslHandler)) {
                pipeline.remove(h);
            }
        }
    }
}
