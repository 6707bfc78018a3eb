package io.trendline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * scripts/bench.sh --smoke, as a user runs it: every section starts, measures something real at
 * tiny sizes, and the table, the JSON and the chart come out. (The figures of a smoke run mean
 * nothing; only that the benchmark still works.)
 */
class BenchSmokeIT {
  @Test
  void theSmokeRunPrintsItsTableAndWritesItsFigures() throws Exception {
    Path home =
        Paths.get(System.getProperty("trendline.home", "../..")).toAbsolutePath().normalize();
    Path out = Paths.get("target", "bench-smoke").toAbsolutePath();
    Path log = Paths.get("target", "bench-smoke.log").toAbsolutePath();
    Path stdout = Paths.get("target", "bench-smoke.out").toAbsolutePath();
    Process p =
        new ProcessBuilder(
                "bash",
                home.resolve("scripts/bench.sh").toString(),
                "--smoke",
                "--out",
                out.toString())
            .redirectError(log.toFile())
            .redirectOutput(stdout.toFile())
            .start();
    boolean ended = p.waitFor(10, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly().waitFor();
    }
    String err = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    assertTrue(ended, "the smoke run ends within 10 minutes\n" + err);
    assertEquals(0, p.exitValue(), err);

    String table = new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8);
    for (String heading :
        new String[] {
          "1. Producer throughput",
          "2. Matcher alone (JMH",
          "3. Consumer batch time at a full window",
          "4. Sustainable rate",
          "5. End to end",
          "6. Memory",
          "7. Dashboard"
        }) {
      assertTrue(table.contains(heading), heading + " in\n" + table);
    }

    JsonObject r =
        JsonParser.parseString(
                new String(Files.readAllBytes(out.resolve("bench.json")), StandardCharsets.UTF_8))
            .getAsJsonObject();
    JsonObject producer = r.getAsJsonObject("producer");
    for (String variant : new String[] {"bare", "producer", "floor", "naive"}) {
      JsonObject v = producer.getAsJsonObject(variant);
      assertTrue(v.get("complete").getAsBoolean(), variant + " delivered every record: " + v);
      assertTrue(v.get("statusesPerSecond").getAsDouble() > 0, variant + ": " + v);
    }
    // Where each variant's CPU went, by thread: the producer's pipeline runs on its main thread,
    // Hosebird reads on its own; the bare producer has no Hosebird thread.
    JsonObject threads =
        producer
            .getAsJsonObject("producer")
            .getAsJsonObject("cpu")
            .getAsJsonObject("variantThreadsMsPer1000");
    assertTrue(threads.get("main").getAsDouble() > 0, threads.toString());
    assertTrue(threads.has("hosebird") && threads.has("kafka"), threads.toString());
    assertTrue(
        !producer
            .getAsJsonObject("bare")
            .getAsJsonObject("cpu")
            .getAsJsonObject("variantThreadsMsPer1000")
            .has("hosebird"));
    assertEquals(1.0, producer.getAsJsonObject("bare").get("ratioToBare").getAsDouble());

    JsonObject matcher = r.getAsJsonObject("matcher");
    for (String b : new String[] {"parseAndMatch", "matchParsed", "substring"}) {
      assertTrue(matcher.getAsJsonObject(b).get("opsPerSecond").getAsDouble() > 0, b);
    }

    JsonObject window = r.getAsJsonObject("window");
    int batches = window.get("batches").getAsInt();
    for (String keys : new String[] {"4", "400"}) {
      JsonObject row = window.getAsJsonObject("keys").getAsJsonObject(keys);
      for (String variant : new String[] {"consumer", "spark-inverse", "plain"}) {
        JsonObject m = row.getAsJsonObject(variant);
        // Every window counted every record of the last windowBatches batches.
        assertEquals(
            window.get("recordsPerBatch").getAsLong() * window.get("windowBatches").getAsLong(),
            m.get("countedInWindow").getAsLong(),
            keys + "/" + variant);
        assertEquals(Integer.parseInt(keys), m.get("keysInWindow").getAsInt());
      }
      assertEquals(
          batches, window.getAsJsonObject("series").getAsJsonArray("consumer-" + keys).size());
      assertEquals(batches, window.getAsJsonObject("series").getAsJsonArray("bare-" + keys).size());
      for (String variant : new String[] {"consumer", "spark-inverse", "plain", "bare"}) {
        JsonObject spark = row.getAsJsonObject(variant).getAsJsonObject("sparkPerBatch");
        assertTrue(spark.get("jobs").getAsDouble() >= 1, keys + "/" + variant + ": " + spark);
        assertTrue(spark.get("tasks").getAsDouble() >= 1, keys + "/" + variant + ": " + spark);
      }
      // The consumer's default (partitions=1): a batch is one job of one stage, no shuffle.
      JsonObject consumerSpark = row.getAsJsonObject("consumer").getAsJsonObject("sparkPerBatch");
      assertEquals(1.0, consumerSpark.get("stages").getAsDouble(), consumerSpark.toString());
      assertEquals(1.0, consumerSpark.get("jobs").getAsDouble(), consumerSpark.toString());
      assertTrue(row.get("consumerOverBare").getAsDouble() > 0);
      assertTrue(row.get("sparkInverseOverConsumer").getAsDouble() > 0);
    }

    JsonObject rate = r.getAsJsonObject("rate");
    assertTrue(rate.get("rawReadRecordsPerSecond").getAsDouble() > 0);
    JsonObject consumers = rate.getAsJsonObject("consumers");
    assertEquals(2, consumers.size(), consumers.toString());
    assertEquals(2, rate.getAsJsonObject("rawReadByClientSettings").size(), rate.toString());
    for (String master : consumers.keySet()) {
      JsonObject levels = consumers.getAsJsonObject(master).getAsJsonObject("levels");
      // The fitted line is written only where reading time grows with the batch (at the smoke
      // run's tiny batches it may not): where written, its rate is a rate.
      JsonObject c = consumers.getAsJsonObject(master);
      if (c.has("readStageFixedMsPerBatch")) {
        assertTrue(c.get("readStageRecordsPerSecond").getAsDouble() > 0, c.toString());
      }
      assertTrue(levels.size() > 0, master);
      for (String level : levels.keySet()) {
        // Spark's stage times found the stage reading Kafka, within the batch's processing.
        JsonObject l = levels.getAsJsonObject(level);
        double reading = l.get("meanReadStageMs").getAsDouble();
        assertTrue(reading > 0 && reading <= l.get("meanMs").getAsDouble(), master + " " + l);
      }
    }

    JsonObject dashboard = r.getAsJsonObject("dashboard");
    assertEquals(0, dashboard.get("notDrawn").getAsInt(), "every ranking drawn: " + dashboard);
    assertEquals(dashboard.get("rankings").getAsInt(), dashboard.get("drawn").getAsInt());
    assertTrue(dashboard.get("worstMs").getAsDouble() >= dashboard.get("medianMs").getAsDouble());

    JsonObject latency = r.getAsJsonObject("latency");
    assertTrue(latency.get("recordsMeasured").getAsLong() > 0, latency.toString());
    assertTrue(
        latency.get("p50Ms").getAsDouble() <= latency.get("p99Ms").getAsDouble(),
        latency.toString());

    String svg =
        new String(Files.readAllBytes(out.resolve("batch-times.svg")), StandardCharsets.UTF_8);
    assertTrue(svg.startsWith("<svg") && svg.contains("<polyline"), "a chart with lines");
  }
}
