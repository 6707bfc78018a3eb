package io.trendline.producer;

import io.trendline.common.config.Durations;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;

/**
 * Runs a wired {@link StatusPipeline} to its end: the progress reports, the stop on SIGINT/SIGTERM,
 * the close order, the final report and the exit code.
 *
 * <p>Threads: {@link #run()} runs the pipeline on the caller's thread; a daemon thread ({@code
 * progress-report}) prints a progress line (and appends a status line) every {@code
 * report.interval}; a shutdown hook ({@code producer-shutdown}) handles SIGINT/SIGTERM.
 *
 * <p>Ownership: the runner owns the pipeline's source and producer and the status file, and closes
 * them when the pipeline has finished, in that order: the source first, so nothing more arrives,
 * then the producer within {@code shutdown.timeout}, so every record sent is acknowledged or failed
 * before the final report, then the status file after its final line. A null producer is a dry run;
 * a null status file, none.
 *
 * <p>Stop: the shutdown hook asks the pipeline to stop, which stops the source; the pipeline drains
 * what the source already took from the stream, the runner closes everything and prints the final
 * report, and the hook then halts the JVM with the run's own exit code (not the JVM's 143 for
 * SIGTERM). If that takes longer than {@code shutdown.timeout}, the hook says how many messages
 * were left and lets the JVM exit.
 *
 * <p>Exit codes ({@link #run()}'s result): 0 done; 1 the source failed (the stream refused us), the
 * run was interrupted or broke, or any record failed.
 */
final class ProducerRunner {
  private static final int REPORT_WAIT_SECONDS = 5;

  /** What the runner needs of the JVM; a test substitutes its own. */
  interface Jvm {
    void addShutdownHook(Thread hook);

    /** Removes {@code hook}; does nothing when the shutdown has already begun. */
    void removeShutdownHook(Thread hook);

    /** Ends the JVM at once with {@code status}; from a shutdown hook, where exit would block. */
    void halt(int status);
  }

  /** The real JVM. */
  static final Jvm RUNTIME =
      new Jvm() {
        @Override
        public void addShutdownHook(Thread hook) {
          Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void removeShutdownHook(Thread hook) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException e) {
            // the shutdown began meanwhile: the hook runs, and halts with our code
          }
        }

        @Override
        public void halt(int status) {
          Runtime.getRuntime().halt(status);
        }
      };

  private final ProducerSettings settings;
  private final StatusPipeline pipeline;
  private final StatusFile status;
  private final MessageSource source;
  private final Producer<String, byte[]> producer;
  private final ProducerMetrics metrics;
  private final PrintStream out;
  private final PrintStream err;
  private final LongSupplier nanoTime;
  private final Jvm jvm;

  private final AtomicReference<ProducerMetrics.Snapshot> previous = new AtomicReference<>();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicInteger result = new AtomicInteger(1);

  /**
   * @param pipeline the wired pipeline; the runner takes over its source and its producer
   * @param status where the counters go for programs, or null; the runner takes it over
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  ProducerRunner(
      ProducerSettings settings,
      StatusPipeline pipeline,
      StatusFile status,
      PrintStream out,
      PrintStream err,
      LongSupplier nanoTime,
      Jvm jvm) {
    this.settings = settings;
    this.pipeline = pipeline;
    this.status = status;
    this.source = pipeline.source();
    this.producer = pipeline.producer();
    this.metrics = pipeline.metrics();
    this.out = out;
    this.err = err;
    this.nanoTime = nanoTime;
    this.jvm = jvm;
  }

  /**
   * Runs the pipeline until the source is finished or a stop is asked for, then closes the source
   * and the producer and prints the final report.
   *
   * @return the exit code: 0, or 1 when the source failed or any record failed
   */
  int run() {
    long started = nanoTime.getAsLong();
    previous.set(snapshot(started));
    if (status != null) {
      // The first line says the producer runs: Kafka was checked, the source starts now.
      status.append(previous.get(), previous.get(), false);
    }
    ScheduledExecutorService reporter =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "progress-report");
              t.setDaemon(true);
              return t;
            });
    long every = settings.reportInterval().toMillis();
    reporter.scheduleAtFixedRate(this::report, every, every, TimeUnit.MILLISECONDS);
    Thread hook = new Thread(this::stopFromHook, "producer-shutdown");
    jvm.addShutdownHook(hook);

    int code = 0;
    try {
      source.start();
      pipeline.run();
    } catch (MessageSource.SourceFailedException e) {
      err.println("error: " + e.getMessage());
      code = 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = 1;
    } catch (Exception e) {
      err.println("error: " + e);
      code = 1;
    } finally {
      stopReporter(reporter);
      source.close();
      if (producer != null) {
        producer.close(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
      ProducerMetrics.Snapshot last = snapshot(nanoTime.getAsLong());
      out.println(
          ProgressReport.summary(
              last, settings.keywords(), last.nanoTime - started, settings.dryRun()));
      String activity = source.activity();
      if (activity != null) {
        out.println(activity);
      }
      out.flush();
      if (status != null) {
        status.append(previous.get(), last, true);
        status.close();
      }
      if (last.failed > 0) {
        code = Math.max(code, 1);
      }
      result.set(code);
      finished.countDown();
      if (!shuttingDown.get()) {
        jvm.removeShutdownHook(hook);
      }
    }
    return code;
  }

  /**
   * Prints one progress line, the rate since the previous one and the totals, and appends the same
   * to the status file.
   */
  void report() {
    ProducerMetrics.Snapshot now = snapshot(nanoTime.getAsLong());
    ProducerMetrics.Snapshot before = previous.getAndSet(now);
    out.println(ProgressReport.line(before, now, settings.keywords()));
    if (status != null) {
      status.append(before, now, false);
    }
  }

  /** Stops the reports, waiting for one in progress so that it cannot follow the final line. */
  private void stopReporter(ScheduledExecutorService reporter) {
    reporter.shutdown();
    try {
      if (!reporter.awaitTermination(REPORT_WAIT_SECONDS, TimeUnit.SECONDS)) {
        err.println("warning: a progress report did not end within " + REPORT_WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The shutdown hook: stops the pipeline, waits for {@link #run()} to finish within {@code
   * shutdown.timeout}, then halts with its exit code.
   */
  void stopFromHook() {
    shuttingDown.set(true);
    err.println("Stopping: draining what was taken from the stream...");
    pipeline.stop();
    try {
      if (finished.await(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        // A stop asked for and completed is a success: exit with the run's own code rather
        // than the JVM's 143 for SIGTERM.
        out.flush();
        err.flush();
        jvm.halt(result.get());
        return;
      }
      err.println(
          "error: not drained within "
              + Durations.format(settings.shutdownTimeout())
              + "; "
              + source.queueDepth()
              + " messages left in the queue");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ProducerMetrics.Snapshot snapshot(long now) {
    return metrics.snapshot(now, source.dropped(), source.queueDepth());
  }
}
