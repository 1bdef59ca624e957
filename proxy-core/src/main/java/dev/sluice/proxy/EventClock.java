package dev.sluice.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The monotonic clock of the data plane, read once per read event instead of at every place that
 * needs the time: a keep-alive request used to read it about ten times (timers, the client
 * timeout, the statistics, the pool's idle times), 5 % of its CPU. While a read event is being
 * handled on a thread ({@link #READS} sits first in the client and origin pipelines), {@link #now}
 * is the time that event began, microseconds old at most; anywhere else (scheduled tasks, connect
 * completions, other threads) it reads the clock. Timeouts need milliseconds, the statistics
 * microseconds.
 */
final class EventClock {

    private static final FastThreadLocal<EventClock> CLOCKS = new FastThreadLocal<>() {
        @Override
        protected EventClock initialValue() {
            return new EventClock();
        }
    };

    /** Marks each read of a channel as an event (ownership of the message passes on unchanged). */
    static final ChannelHandler READS = new Reads();

    private long nanos;
    private int depth;

    private EventClock() {
    }

    /** {@link System#nanoTime()} as of the start of the read event being handled on this thread. */
    static long now() {
        EventClock c = CLOCKS.get();
        return c.depth > 0 ? c.nanos : System.nanoTime();
    }

    /** The start of an event on this thread (nested events keep the outer one's time). */
    static EventClock enter() {
        EventClock c = CLOCKS.get();
        if (c.depth++ == 0) {
            c.nanos = System.nanoTime();
        }
        return c;
    }

    /** The end of the event {@link #enter} began. */
    void exit() {
        depth--;
    }

    @ChannelHandler.Sharable
    private static final class Reads extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            EventClock c = enter();
            try {
                ctx.fireChannelRead(msg);
            } finally {
                c.exit();
            }
        }
    }
}
