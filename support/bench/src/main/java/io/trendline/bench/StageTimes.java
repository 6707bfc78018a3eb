package io.trendline.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.storage.RDDInfo;

/**
 * Spark's own account of each streaming batch: its jobs, the stages they ran and the tasks in them,
 * with their times, grouped by the batch time Spark Streaming puts on every job it runs for a
 * batch. A job without that mark was run while the batch's jobs were being generated (a {@code
 * sortByKey} inside {@code transform} samples its input then), outside any batch's processing time;
 * those are counted apart.
 *
 * <p>Listener events arrive on Spark's listener threads, in no order across its queues: read the
 * figures only after the streaming context has stopped (which drains them).
 */
final class StageTimes extends SparkListener {
  private static final String BATCH_TIME = "spark.streaming.internal.batchTime";

  /** One batch's figures, summed over its jobs. */
  static final class Batch {
    int jobs;
    int stages;
    int tasks;

    /** Each job's start to end, summed. */
    long jobMs;

    /** The time within the batch when at least one of its stages was running. */
    long stageMs;

    /** The tasks' durations, summed (two task threads: up to twice the wall time). */
    long taskMs;

    /** Of the tasks' durations, the time running the task's code, summed. */
    long runMs;

    /** Of the tasks' durations, deserializing the task (its RDD and closure), summed. */
    long deserializeMs;

    /**
     * The time within the batch when at least one stage reading Kafka ran: a stage whose RDDs
     * include a KafkaRDD. Where nothing is shuffled (one partition), that stage is the whole batch,
     * window and ranking included.
     */
    long readStageMs;
  }

  private final Map<Integer, Long> batchOfJob = new ConcurrentHashMap<>();
  private final Map<Integer, Long> jobStart = new ConcurrentHashMap<>();
  private final Map<Integer, Long> jobMs = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> jobOfStage = new ConcurrentHashMap<>();
  private final Map<Integer, long[]> stageSpan = new ConcurrentHashMap<>();
  private final Map<Integer, long[]> stageTasks = new ConcurrentHashMap<>();
  private final Map<Integer, Boolean> untaggedJobs = new ConcurrentHashMap<>();
  private final Map<Integer, Boolean> readStages = new ConcurrentHashMap<>();

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    String batch = start.properties() == null ? null : start.properties().getProperty(BATCH_TIME);
    if (batch == null) {
      untaggedJobs.put(start.jobId(), Boolean.TRUE);
    } else {
      batchOfJob.put(start.jobId(), Long.parseLong(batch));
    }
    jobStart.put(start.jobId(), start.time());
    scala.collection.Iterator<Object> stages = start.stageIds().iterator();
    while (stages.hasNext()) {
      jobOfStage.putIfAbsent((Integer) stages.next(), start.jobId());
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    Long started = jobStart.get(end.jobId());
    if (started != null) {
      jobMs.put(end.jobId(), end.time() - started);
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted completed) {
    StageInfo info = completed.stageInfo();
    if (info.submissionTime().isDefined() && info.completionTime().isDefined()) {
      stageSpan.put(
          info.stageId(),
          new long[] {(Long) info.submissionTime().get(), (Long) info.completionTime().get()});
    }
    // Spark names an RDD without a name after its class: the direct stream's is a KafkaRDD.
    scala.collection.Iterator<RDDInfo> rdds = info.rddInfos().iterator();
    while (rdds.hasNext()) {
      if ("KafkaRDD".equals(rdds.next().name())) {
        readStages.put(info.stageId(), Boolean.TRUE);
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    TaskMetrics m = end.taskMetrics();
    long[] t = stageTasks.computeIfAbsent(end.stageId(), s -> new long[4]);
    synchronized (t) {
      t[0]++;
      t[1] += end.taskInfo().duration();
      if (m != null) {
        t[2] += m.executorRunTime();
        t[3] += m.executorDeserializeTime();
      }
    }
  }

  /** How many jobs ran outside any batch (while batches' jobs were being generated). */
  int untaggedJobs() {
    return untaggedJobs.size();
  }

  /** Each batch's figures, by batch time (ms). */
  Map<Long, Batch> byBatch() {
    Map<Long, Batch> out = new LinkedHashMap<>();
    Map<Long, List<long[]>> spans = new LinkedHashMap<>();
    Map<Long, List<long[]>> reads = new LinkedHashMap<>();
    for (Map.Entry<Integer, Long> job : batchOfJob.entrySet()) {
      Batch b = out.computeIfAbsent(job.getValue(), t -> new Batch());
      b.jobs++;
      Long ms = jobMs.get(job.getKey());
      b.jobMs += ms == null ? 0 : ms;
    }
    for (Map.Entry<Integer, Integer> stage : jobOfStage.entrySet()) {
      Long time = batchOfJob.get(stage.getValue());
      long[] span = stageSpan.get(stage.getKey());
      if (time == null || span == null) {
        continue; // another job's, or skipped (its output was still there)
      }
      Batch b = out.get(time);
      b.stages++;
      spans.computeIfAbsent(time, t -> new ArrayList<>()).add(span);
      if (readStages.containsKey(stage.getKey())) {
        reads.computeIfAbsent(time, t -> new ArrayList<>()).add(span);
      }
      long[] t = stageTasks.get(stage.getKey());
      if (t != null) {
        synchronized (t) {
          b.tasks += (int) t[0];
          b.taskMs += t[1];
          b.runMs += t[2];
          b.deserializeMs += t[3];
        }
      }
    }
    for (Map.Entry<Long, List<long[]>> e : spans.entrySet()) {
      out.get(e.getKey()).stageMs = unionMs(e.getValue());
    }
    for (Map.Entry<Long, List<long[]>> e : reads.entrySet()) {
      out.get(e.getKey()).readStageMs = unionMs(e.getValue());
    }
    return out;
  }

  /** The length of the union of [from, to] spans. */
  static long unionMs(List<long[]> spans) {
    List<long[]> sorted = new ArrayList<>(spans);
    Collections.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
    long total = 0;
    long from = Long.MIN_VALUE;
    long to = Long.MIN_VALUE;
    for (long[] s : sorted) {
      if (s[0] > to) {
        total += to - from;
        from = s[0];
        to = s[1];
      } else {
        to = Math.max(to, s[1]);
      }
    }
    return total + (to - from);
  }
}
