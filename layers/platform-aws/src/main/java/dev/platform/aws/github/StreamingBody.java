package dev.platform.aws.github;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read as it arrives, with a read timeout between bytes. The JDK's request timeout
 * ends when the headers arrive and {@code BodyHandlers.ofInputStream()} then waits forever for a stalled
 * body; a tarball may take minutes, but a stream that goes quiet for {@code idle} is broken.
 *
 * <p>One chunk is requested at a time, after the previous one was taken: at most two of the client's
 * buffer lists are held, however large the body.
 */
final class StreamingBody implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    private final Duration idle;
    private final String call;
    private final Stream stream = new Stream();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    /** @param call names the call in errors ({@code GET /repos/...}), never a URL's query */
    StreamingBody(Duration idle, String call) {
        this.idle = idle;
        this.call = call;
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedFuture(stream);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (cancelled) {
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        chunks.add(item);
    }

    @Override
    public void onError(Throwable error) {
        chunks.add(error);
    }

    @Override
    public void onComplete() {
        chunks.add(END);
    }

    private void cancel() {
        cancelled = true;
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }

    private final class Stream extends InputStream {
        private Iterator<ByteBuffer> buffers;
        private ByteBuffer buffer;
        private boolean ended;
        private boolean closed;

        @Override
        public int read() throws IOException {
            ByteBuffer current = current();
            return current == null ? -1 : current.get() & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) {
                return 0;
            }
            ByteBuffer current = current();
            if (current == null) {
                return -1;
            }
            int n = Math.min(length, current.remaining());
            current.get(into, offset, n);
            return n;
        }

        @Override
        public int available() {
            return buffer == null ? 0 : buffer.remaining();
        }

        /** Before the end: drops the connection rather than reading the rest. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (!ended) {
                    cancel();
                }
                chunks.clear();
                buffer = null;
                buffers = null;
            }
        }

        /** The buffer with bytes left, waiting at most {@code idle} for the next chunk; null at the end. */
        private ByteBuffer current() throws IOException {
            while (true) {
                if (closed) {
                    throw new IOException("GitHub " + call + ": the body stream is closed");
                }
                if (buffer != null && buffer.hasRemaining()) {
                    return buffer;
                }
                if (buffers != null && buffers.hasNext()) {
                    buffer = buffers.next();
                    continue;
                }
                if (ended) {
                    return null;
                }
                Object chunk;
                try {
                    chunk = chunks.poll(idle.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new InterruptedIOException("GitHub " + call + ": interrupted while reading the body");
                }
                if (chunk == null) {
                    close();
                    throw new SocketTimeoutException("GitHub " + call + ": no bytes for " + idle.toMillis()
                            + " ms while reading the body");
                }
                if (chunk == END) {
                    ended = true;
                    return null;
                }
                if (chunk instanceof Throwable error) {
                    ended = true;
                    throw new IOException("GitHub " + call + ": the body stream broke (" + error.getClass().getSimpleName() + ")",
                            error);
                }
                @SuppressWarnings("unchecked")
                List<ByteBuffer> list = (List<ByteBuffer>) chunk;
                buffers = list.iterator();
                subscription.request(1);
            }
        }
    }
}
