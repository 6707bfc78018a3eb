package io.trendline.producer;

import java.util.concurrent.TimeUnit;

/**
 * Where stream messages come from: Hosebird on a live stream, or the lines of a capture. {@link
 * StatusPipeline} is its only consumer, from one thread; {@link #stop()} may be called from another
 * (a shutdown hook).
 */
interface MessageSource extends AutoCloseable {
  /** Starts producing messages (connects, opens the file). */
  void start() throws Exception;

  /**
   * The next raw message, as UTF-8 bytes (a line ending or surrounding white space may be left on
   * it), waiting at most {@code timeout}; null when none arrived in time.
   *
   * @throws SourceFailedException when the source stopped for good on an error
   */
  byte[] poll(long timeout, TimeUnit unit) throws InterruptedException;

  /** Whether no message will ever come again: stopped or exhausted, and nothing buffered. */
  boolean isFinished();

  /**
   * Stops taking new messages from outside; what is already buffered is still returned by {@link
   * #poll}, so nothing taken from the stream is lost.
   */
  void stop();

  /** Messages the source received but had to drop (a full client queue). */
  long dropped();

  /** Messages buffered and not yet polled. */
  int queueDepth();

  /**
   * What the source went through, for the final report (connections, disconnects and stalls, HTTP
   * errors), or null when there is nothing to say (a file).
   */
  default String activity() {
    return null;
  }

  /** Frees resources; after {@link #stop()} and draining. */
  @Override
  void close();

  /** The source stopped for good, with a reason fit for the operator. */
  final class SourceFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SourceFailedException(String message) {
      super(message);
    }
  }
}
