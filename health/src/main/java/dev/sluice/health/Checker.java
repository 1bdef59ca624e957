package dev.sluice.health;

import dev.sluice.proxy.OriginTls;
import dev.sluice.routing.ErrorLimitListener;
import dev.sluice.routing.ServerState;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The checks of one server, with HAProxy's counting: a health value from 0 to
 * {@code rise + fall - 1}; the server is UP at {@code rise} or more. A passed check adds one (and
 * reaching {@code rise} jumps to the maximum), a failed one subtracts one (and falling below
 * {@code rise} drops to 0, DOWN). A new checker starts at {@code rise} when its server is UP: "UP,
 * going down", so one failed check marks it DOWN (HAProxy's default {@code init-state up}).
 * The next check runs after {@code inter} when fully UP, {@code downinter} when fully DOWN,
 * {@code fastinter} in between.
 *
 * <p>Every field but {@link #target} and {@link #stopped} is touched only on {@link #loop}.
 */
final class Checker implements ErrorLimitListener {

    private final Bootstrap bootstrap;
    /** The checks' connections while open (a group drops one when it closes), for {@link HealthChecks#close}. */
    private final ChannelGroup open;
    private final EventLoop loop;
    private final ServerState state;
    private volatile CheckTarget target;
    private volatile boolean stopped;
    private int health;
    private boolean running;
    /** Numbers the checks, so a late callback of an earlier check is ignored. */
    private long attempt;
    private ScheduledFuture<?> next;

    Checker(Bootstrap bootstrap, EventLoop loop, CheckTarget target, ChannelGroup open) {
        this.bootstrap = bootstrap;
        this.open = open;
        this.loop = loop;
        this.target = target;
        this.state = target.server().state();
        this.health = state.isUp() ? target.config().rise() : 0;
    }

    void start() {
        state.errorLimitListener(this);
        long inter = target.config().interMs();
        long delay = ThreadLocalRandom.current().nextLong(Math.max(1, inter));
        loop.execute(() -> schedule(delay));
    }

    void reconfigure(CheckTarget t) {
        target = t;
    }

    void stop() {
        stopped = true;
        if (state.errorLimitListener() == this) {
            state.errorLimitListener(null);
        }
        loop.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
        });
    }

    /** Health, for tests; read on the loop. */
    int health() {
        return health;
    }

    private void schedule(long delayMs) {
        if (stopped) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = loop.schedule(this::run, delayMs, TimeUnit.MILLISECONDS);
    }

    /** The interval before the next check, as HAProxy chooses it. */
    private long interval() {
        CheckTarget t = target;
        if (health >= t.maxHealth()) {
            return t.config().interMs();
        }
        if (health == 0) {
            return t.config().effectiveDownInterMs();
        }
        return t.config().effectiveFastInterMs();
    }

    private void run() {
        next = null;
        if (stopped || running) {
            return;
        }
        CheckTarget t = target;
        health = Math.min(health, t.maxHealth());
        InetSocketAddress address = t.address();
        if (address == null || state.admin() == ServerState.Admin.MAINT) {
            // a slot without an address, or a server in maintenance: nothing to check (as HAProxy)
            schedule(t.config().interMs());
            return;
        }
        running = true;
        long id = ++attempt;
        HttpCheckHandler.Outcome outcome = (passed, reason) -> done(id, passed, reason);
        if (t.tlsError() != null) {
            loop.execute(() -> outcome.done(false, t.tlsError()));
            return;
        }
        long timeoutMs = t.timeoutMs();
        ChannelFutureListener onConnect = (ChannelFuture f) -> {
            if (!f.isSuccess()) {
                outcome.done(false, layer4(f.cause()));
            } else if (t.http() == null) {
                f.channel().close();
                outcome.done(true, t.tls() == null ? "Layer4 check passed" : "Layer6 check passed");
            }
        };
        ChannelFuture connect = bootstrap.clone(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMs))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (t.tls() != null) {
                            ch.pipeline().addLast(OriginTls.newHandler(t.tls(), ch.alloc(), t.sni(), timeoutMs));
                        }
                        if (t.http() != null) {
                            ch.pipeline().addLast(new HttpClientCodec(4096, 16384, 16384),
                                    new HttpCheckHandler(t, address, outcome));
                        }
                    }
                })
                .connect(address);
        Channel ch = connect.channel();
        open.add(ch);
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            outcome.done(false, ch.isActive() ? "Layer7 timeout" : "Layer4 timeout");
            ch.close();
        }, timeoutMs, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(f -> timeout.cancel(false));
        connect.addListener(t.tls() == null ? onConnect
                : OriginTls.afterHandshake(t.nameToVerify(), timeoutMs, onConnect));
    }

    private static String layer4(Throwable cause) {
        if (OriginTls.isHandshakeFailure(cause)) {
            return "Layer6 SSL handshake failure: " + OriginTls.rootMessage(cause);
        }
        if (cause instanceof ConnectTimeoutException) {
            return "Layer4 timeout";
        }
        if (cause instanceof java.nio.channels.UnresolvedAddressException
                || cause instanceof java.net.UnknownHostException) {
            return "Layer4 connection problem: cannot resolve the address (DNS)";
        }
        String m = cause == null ? null : cause.getMessage();
        if (m != null && m.toLowerCase(Locale.ROOT).contains("refused")) {
            return "Layer4 connection refused";
        }
        return "Layer4 connection problem: " + (m != null ? m : cause == null ? "unknown" : cause.getClass().getSimpleName());
    }

    /** The end of one check (on the loop): counts it, changes the state, schedules the next. */
    private void done(long id, boolean passed, String reason) {
        if (!running || id != attempt) {
            return;
        }
        running = false;
        if (stopped) {
            return;
        }
        state.lastCheck(reason);
        if (passed) {
            passed(reason);
        } else {
            failed(reason);
        }
        schedule(interval());
    }

    private void passed(String reason) {
        CheckTarget t = target;
        if (health < t.maxHealth()) {
            health++;
            if (health >= t.config().rise()) {
                health = t.maxHealth();
            }
        }
        if (health >= t.config().rise()) {
            state.markUp(reason);
        }
    }

    private void failed(String reason) {
        CheckTarget t = target;
        if (health > 0) {
            health--;
            if (health < t.config().rise()) {
                health = 0;
            }
        }
        if (health < t.config().rise()) {
            state.markDown(reason);
        }
    }

    // ---- on-error: called on a proxy event loop when error-limit is reached ---------------------

    @Override
    public void onErrorLimit(int errors, String reason) {
        String why = "Passive: " + errors + " consecutive errors (last: " + reason + ")";
        if (target.config().onError() == dev.sluice.routing.config.HealthCheckConfig.OnError.MARK_DOWN) {
            // at once, on the caller's thread: the next pick already avoids the server
            state.markDown(why);
        }
        loop.execute(() -> applyOnError(why));
    }

    private void applyOnError(String why) {
        if (stopped) {
            return;
        }
        CheckTarget t = target;
        switch (t.config().onError()) {
            case FASTINTER -> { }
            case FAIL_CHECK -> failed(why);
            case SUDDEN_DEATH -> {
                if (health > t.config().rise()) {
                    health = t.config().rise() + 1;
                }
                failed(why);
            }
            case MARK_DOWN -> {
                health = 0;
                state.markDown(why);
            }
        }
        // every on-error action also forces fastinter, as in HAProxy
        if (!running) {
            schedule(t.config().effectiveFastInterMs());
        }
    }
}
