package org.opendialer.media.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One thread and one selector for every SIP-side RTP and RTCP socket: no thread per call.
 * Datagrams are read into one reused buffer and handed to the socket's {@link Handler} on this
 * thread. Registration and closing run as tasks on the loop, so a closed channel is
 * deregistered and its port released before {@link #close(SelectionKey)} returns.
 */
final class RtpIoLoop implements AutoCloseable {
    /** Larger than any datagram we accept: a read that fills it was truncated. */
    static final int BUFFER_SIZE = 2048;
    /** Reads per socket per wake-up, so one flooded socket cannot starve the others. */
    private static final int READS_PER_WAKEUP = 1;

    interface Handler {
        /** On the loop thread; {@code buf} is reused after the call returns. */
        void onDatagram(byte[] buf, int len, InetSocketAddress from);
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final LongAdder dropped;
    private volatile boolean closed;

    RtpIoLoop(String name, LongAdder dropped) throws IOException {
        this.selector = Selector.open();
        this.dropped = dropped;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    long dropped() {
        return dropped.sum();
    }

    SelectionKey register(DatagramChannel channel, Handler handler) throws IOException {
        return call(() -> channel.register(selector, SelectionKey.OP_READ, handler));
    }

    /** Deregisters and closes the channel; its port is free when this returns. */
    void close(SelectionKey key) {
        if (key == null) {
            return;
        }
        try {
            call(() -> {
                key.cancel();
                selector.selectNow(); // flushes the cancelled key, so close() releases the port now
                key.channel().close();
                return null;
            });
        } catch (IOException e) {
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private <T> T call(IoCall<T> work) throws IOException {
        if (Thread.currentThread() == thread || closed) {
            return work.call();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(work.call());
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the RTP I/O thread", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("RTP I/O thread did not answer in 10 s");
        }
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        byte[] buf = buffer.array();
        while (!closed) {
            try {
                selector.select();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    Handler handler = (Handler) key.attachment();
                    for (int i = 0; i < READS_PER_WAKEUP; i++) {
                        buffer.clear();
                        SocketAddress from;
                        try {
                            from = channel.receive(buffer);
                        } catch (IOException e) {
                            break; // ICMP unreachable from an earlier send, or the channel closed
                        }
                        if (from == null) {
                            break;
                        }
                        int len = buffer.position();
                        if (len == BUFFER_SIZE || !(from instanceof InetSocketAddress sender)) {
                            dropped.increment(); // oversized (truncated) datagram
                            continue;
                        }
                        try {
                            handler.onDatagram(buf, len, sender);
                        } catch (RuntimeException e) {
                            dropped.increment(); // a bug must not stop every call's media
                            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
                        }
                    }
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run(); // waiters get their answer (closed channels) instead of a timeout
        }
    }
}
