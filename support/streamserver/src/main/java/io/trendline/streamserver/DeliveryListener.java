package io.trendline.streamserver;

import io.trendline.common.Status;

/**
 * Told of every status a stream delivered: written whole to the client's socket and flushed (what
 * {@link StreamStats#sent()} counts). A harness that must account for every status a client was
 * given (the chaos run) records them here. Called on the stream's own thread, right after the
 * flush, so an implementation must be thread-safe and quick.
 */
public interface DeliveryListener {
  DeliveryListener NONE = (stream, status) -> {};

  /**
   * @param stream the stream's number, from 1 (as {@link FaultPlan} counts streams)
   * @param status the status delivered
   */
  void delivered(long stream, Status status);
}
