package dev.sluice.benchmarks.load;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;

/**
 * One keep-alive connection of the open-loop client and its share of the {@link Schedule}: of
 * requests 0, 1, 2, ..., those whose number modulo the number of connections is this connection's
 * index. A request is written at its due time, or, when
 * the answer to the previous one comes later than that, as soon as that answer is in (no
 * pipelining). Its latency counts from the due time either way, so a stall counts once for every
 * request it held back: no coordinated omission.
 *
 * <p>A closed connection is opened again and keeps its schedule; a request lost with it is an
 * error. Everything runs on the one event loop, so there is no locking.
 */
final class ScheduledConnection implements ResponseParser.Listener {

    /** Called on the event loop when a connection has nothing more due in the run. */
    interface Done {
        void connectionDone();
    }

    private static final long RECONNECT_DELAY_MS = 100;

    private final Bootstrap bootstrap;
    private final ByteBuf request;
    private final Done done;
    private final EventLoop loop;

    private LatencyRecorder recorder; // set by start(); nothing is sent before
    private Schedule schedule;
    private int index;
    private int stride;
    private long next; // this connection's count of requests sent
    private Channel channel;
    private boolean started;
    private boolean finished;
    private boolean inFlight;
    private boolean timerPending;
    private long sentDue;
    private long sentAt;
    private long readyAt;

    /**
     * @param request the bytes of one request, never released here: each write sends a duplicate
     *                of this unreleasable buffer
     */
    ScheduledConnection(Bootstrap bootstrap, ByteBuf request, Done done) {
        this.bootstrap = bootstrap;
        this.request = request;
        this.done = done;
        this.loop = (EventLoop) bootstrap.config().group().next();
    }

    /** Opens the connection; the future completes when it is established (or has failed). */
    ChannelFuture connect() {
        ChannelFuture future = bootstrap.clone().handler(new ResponseParser(this)).connect();
        Channel ch = future.channel();
        future.addListener(f -> {
            if (f.isSuccess()) {
                channel = ch;
                readyAt = System.nanoTime();
                ch.closeFuture().addListener(c -> closed(ch));
                trySend();
            } else if (started) {
                recorder.connectFailed(System.nanoTime());
                loop.schedule(this::reconnect, RECONNECT_DELAY_MS, MILLISECONDS);
            }
        });
        return future;
    }

    /** Starts sending requests index, index + stride, index + 2 stride, ... of the schedule. On the event loop. */
    void start(LatencyRecorder recorder, Schedule schedule, int index, int stride) {
        this.recorder = recorder;
        this.schedule = schedule;
        this.index = index;
        this.stride = stride;
        started = true;
        trySend();
    }

    private long due(long n) {
        return schedule.due(n * stride + index);
    }

    private void trySend() {
        if (!started || finished || inFlight || channel == null || !channel.isActive()) {
            return;
        }
        long due = due(next);
        if (due >= recorder.windowEnd()) {
            finish();
            return;
        }
        long now = System.nanoTime();
        if (now < due) {
            if (!timerPending) {
                timerPending = true;
                loop.schedule(this::onTimer, due - now, NANOSECONDS);
            }
            return;
        }
        next++;
        inFlight = true;
        sentDue = due;
        sentAt = now;
        recorder.sent(due, readyAt, now);
        channel.writeAndFlush(request.duplicate(), channel.voidPromise());
    }

    private void onTimer() {
        timerPending = false;
        trySend();
    }

    @Override
    public void onResponse(int status, long bodyBytes) {
        long now = System.nanoTime();
        if (!inFlight) {
            OpenLoop.warnOnce("a response to no request (status " + status + ")");
            if (started) {
                recorder.badResponse(now);
            }
            channel.close();
            return;
        }
        inFlight = false;
        readyAt = now;
        recorder.answered(sentDue, sentAt, now, status);
        trySend();
    }

    @Override
    public void onBadResponse(String reason) {
        if (inFlight) {
            inFlight = false;
            recorder.badResponse(sentDue);
        }
        OpenLoop.warnOnce("bad response: " + reason);
    }

    private void closed(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        if (!started) {
            return; // before the run: the owner sees the connection fail
        }
        if (inFlight) {
            inFlight = false;
            recorder.lost(sentDue);
        }
        if (!finished && !recorder.stopped()) {
            recorder.reconnected();
            reconnect();
        }
    }

    private void reconnect() {
        if (!finished && !recorder.stopped()) {
            connect();
        }
    }

    private void finish() {
        if (!finished) {
            finished = true;
            done.connectionDone();
        }
    }

    /**
     * Ends the run for this connection, after {@link LatencyRecorder#stop()}: counts the requests
     * due in the window that got no answer (sent and pending, or never sent because the connection
     * was behind) and closes it.
     */
    void abandon() {
        if (!started) {
            return;
        }
        long count = 0;
        if (inFlight && recorder.inWindow(sentDue)) {
            count++;
        }
        inFlight = false;
        if (!finished) {
            for (long n = next; ; n++) {
                long due = due(n);
                if (due >= recorder.windowEnd()) {
                    break;
                }
                if (due >= recorder.windowStart()) {
                    count++;
                }
            }
        }
        recorder.unfinished(count);
        finished = true;
        if (channel != null) {
            channel.close();
        }
    }
}
