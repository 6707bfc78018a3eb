package io.trendline.consumer;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchStarted;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchSubmitted;
import org.apache.spark.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import org.apache.spark.streaming.scheduler.StreamingListenerOutputOperationStarted;
import org.apache.spark.streaming.scheduler.StreamingListenerReceiverError;
import org.apache.spark.streaming.scheduler.StreamingListenerReceiverStarted;
import org.apache.spark.streaming.scheduler.StreamingListenerReceiverStopped;
import org.apache.spark.streaming.scheduler.StreamingListenerStreamingStarted;

/** Hands every completed batch's {@link BatchInfo} to the benchmark, in order. */
final class BenchListener implements StreamingListener {
  final BlockingQueue<BatchInfo> completed = new LinkedBlockingQueue<>();

  static long processingMs(BatchInfo info) {
    return info.processingDelay().isDefined() ? (Long) info.processingDelay().get() : -1;
  }

  static long endTime(BatchInfo info) {
    return info.processingEndTime().isDefined() ? (Long) info.processingEndTime().get() : -1;
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted event) {
    completed.add(event.batchInfo());
  }

  @Override
  public void onStreamingStarted(StreamingListenerStreamingStarted event) {}

  @Override
  public void onReceiverStarted(StreamingListenerReceiverStarted event) {}

  @Override
  public void onReceiverError(StreamingListenerReceiverError event) {}

  @Override
  public void onReceiverStopped(StreamingListenerReceiverStopped event) {}

  @Override
  public void onBatchSubmitted(StreamingListenerBatchSubmitted event) {}

  @Override
  public void onBatchStarted(StreamingListenerBatchStarted event) {}

  @Override
  public void onOutputOperationStarted(StreamingListenerOutputOperationStarted event) {}

  @Override
  public void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted event) {}
}
