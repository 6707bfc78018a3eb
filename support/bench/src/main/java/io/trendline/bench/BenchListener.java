package io.trendline.bench;

import io.trendline.consumer.BatchCompletedListener;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.spark.streaming.scheduler.BatchInfo;

/** Hands every completed batch's {@link BatchInfo} to the benchmark, in order. */
final class BenchListener extends BatchCompletedListener {
  final BlockingQueue<BatchInfo> completed = new LinkedBlockingQueue<>();

  @Override
  protected void batchCompleted(BatchInfo info) {
    completed.add(info);
  }
}
