package io.trendline.consumer;

import java.io.Serializable;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.scheduler.BatchInfo;
import scala.Option;

/**
 * The processing time of the last completed batch, as Spark's listener bus reports it: what a
 * ranking shows as {@code processingMs}. One instance per stream graph, read on the driver.
 *
 * <p>It travels with the graph into the checkpoint, so it holds no listener in a serialized field:
 * the first read on a driver registers a listener on the running context and later reads return
 * what it recorded. A driver restored from a checkpoint registers again on its first read; until a
 * batch has completed since then, the time is unknown (-1).
 */
public final class LastBatchTime implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient volatile Recorder recorder;

  /** The last completed batch's processing time in ms, -1 before the first. Driver only. */
  public long processingMs() {
    Recorder r = recorder;
    if (r == null) {
      r = register();
    }
    return r.lastMs;
  }

  private synchronized Recorder register() {
    if (recorder == null) {
      Recorder r = new Recorder();
      Option<StreamingContext> active = StreamingContext.getActive();
      if (active.isDefined()) {
        active.get().addStreamingListener(r);
      }
      recorder = r;
    }
    return recorder;
  }

  /** Keeps the last completed batch's processing time. */
  private static final class Recorder extends BatchCompletedListener {
    volatile long lastMs = -1;

    @Override
    protected void batchCompleted(BatchInfo info) {
      long ms = processingMs(info);
      if (ms >= 0) {
        lastMs = ms;
      }
    }
  }
}
