package io.trendline.streamserver;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Where a {@link StreamServer} takes its messages from: one JSON message per call, in stream order,
 * without a line ending. A status is whatever {@link io.trendline.common.StreamMessage} classifies
 * as one; anything else (notices, unknown objects, lines that are not JSON) is passed through to
 * every connection unchanged.
 *
 * <p>The server calls {@link #next()} from one thread only (its pump), so implementations need not
 * be thread-safe. The server owns the source it is given and closes it when the server closes.
 */
public interface MessageSource extends Closeable {
  /**
   * The next message, or null when the source is exhausted (the server then keeps its connections
   * open with keep-alives). May block, for example while reading a file.
   */
  String next() throws IOException;

  @Override
  default void close() throws IOException {}

  /** A source of the given messages, in order, once. */
  static MessageSource of(String... messages) {
    return of(Arrays.asList(messages));
  }

  /** A source of the given messages, in order, once. The list is copied. */
  static MessageSource of(List<String> messages) {
    Iterator<String> it = new ArrayList<>(messages).iterator();
    return () -> it.hasNext() ? it.next() : null;
  }
}
