package dev.sluice.discovery.peers;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An answer's body as bytes, refused once it is over a limit: a peer or a listener that sends
 * gigabytes ends that call with an error instead of the process running out of memory.
 */
public final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
    private final long limit;
    private long received;
    private Flow.Subscription subscription;
    private boolean refused;

    private LimitedBody(long limit) {
        this.limit = limit;
    }

    /** A handler whose bodies hold at most {@code limit} bytes. */
    public static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> new LimitedBody(limit);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return bytes.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        bytes.onSubscribe(s);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (refused) {
            return;
        }
        for (ByteBuffer b : items) {
            received += b.remaining();
        }
        if (received > limit) {
            refused = true;
            subscription.cancel();
            bytes.onError(new IOException("the answer is over " + limit + " bytes: refused"));
            return;
        }
        bytes.onNext(items);
    }

    @Override
    public void onError(Throwable t) {
        if (!refused) {
            bytes.onError(t);
        }
    }

    @Override
    public void onComplete() {
        if (!refused) {
            bytes.onComplete();
        }
    }
}
