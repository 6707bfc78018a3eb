package io.trendline.streamserver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Faults injected while the server runs ({@link StreamServer#inject}), waiting for the connection
 * they apply to: HTTP answers for the next attempts, stream faults for the stream open now (or the
 * next one to open). A stream that ends before its injected faults fired hands them back, so that
 * the next stream fires them. Thread-safe.
 */
final class Injected {
  private final ConcurrentLinkedDeque<Integer> httpCodes = new ConcurrentLinkedDeque<>();
  private final ConcurrentLinkedDeque<FaultPlan.Fault> streamFaults = new ConcurrentLinkedDeque<>();

  void add(FaultPlan.Fault f) {
    if (f.kind() == FaultPlan.Kind.HTTP) {
      for (int i = 0; i < f.attempts(); i++) {
        httpCodes.addLast(f.code());
      }
    } else {
      streamFaults.addLast(f);
    }
  }

  /** The code to answer the next attempt with, or 0 when none was injected. */
  int nextHttpCode() {
    Integer code = httpCodes.pollFirst();
    return code == null ? 0 : code;
  }

  /**
   * Takes every stream fault waiting.
   *
   * @return the faults, their {@code after} counted from now; empty when none wait
   */
  List<FaultPlan.Fault> takeStreamFaults() {
    List<FaultPlan.Fault> out = new ArrayList<>();
    for (FaultPlan.Fault f; (f = streamFaults.pollFirst()) != null; ) {
      out.add(f);
    }
    return out;
  }

  /** Gives back faults a stream took but did not fire, first in line for the next stream. */
  void handBack(List<FaultPlan.Fault> unfired) {
    for (int i = unfired.size() - 1; i >= 0; i--) {
      streamFaults.addFirst(unfired.get(i));
    }
  }

  /** Injected faults not yet fired or taken (HTTP answers count one each). */
  int waiting() {
    return httpCodes.size() + streamFaults.size();
  }
}
