package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: a dry run on a capture, help, and bad settings. */
class ProducerMainTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ProducerMain.run(
        args,
        Collections.<String, String>emptyMap(),
        new PrintStream(out, true),
        new PrintStream(err, true));
  }

  private String out() {
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private String err() {
    return new String(err.toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void aDryRunOnACaptureCountsStatusesPerKeywordAndSendsNothing() throws Exception {
    Path capture = dir.resolve("capture.jsonl");
    Files.write(
        capture,
        Arrays.asList(
            StatusPipelineTest.BITCOIN,
            "",
            StatusPipelineTest.BOTH,
            StatusPipelineTest.NONE,
            StatusPipelineTest.LIMIT,
            StatusPipelineTest.BROKEN),
        StandardCharsets.UTF_8);
    int code =
        run(
            "--keywords",
            "bitcoin,IoT,5G",
            "--source",
            "file",
            "--input",
            capture.toString(),
            "--dry.run",
            // No broker at this address: a dry run must not need one.
            "--kafka.bootstrap.servers",
            "127.0.0.1:1");
    assertEquals(0, code, err());
    String report = out();
    assertTrue(report.startsWith("Dry run: nothing was sent."), report);
    assertTrue(report.contains("Read 5 messages"), report);
    assertTrue(report.contains("(3 statuses, 1 notices, 1 malformed or unknown)"), report);
    assertTrue(report.matches("(?s).*bitcoin\\s+2\\n.*"), report);
    assertTrue(report.matches("(?s).*IoT\\s+1\\n.*"), report);
    assertTrue(report.matches("(?s).*5G\\s+0\\n.*"), report);
    assertTrue(report.matches("(?s).*\\(none\\)\\s+1\\n.*"), report);
    assertTrue(report.contains("The service reported 17 matching statuses it did not deliver"));
  }

  @Test
  void helpListsTheSettingsAndBadSettingsGiveOneLineAndExitTwo() {
    assertEquals(0, run("--help"));
    assertTrue(out().contains("--kafka.bootstrap.servers"), out());

    assertEquals(2, run("--keywords", "bitcoin", "--report.interval", "soon"));
    assertEquals(1, err().trim().split("\n").length, err());
    assertTrue(err().startsWith("error: Invalid value 'soon' for configuration report.interval"));
  }

  @Test
  void missingCredentialsForTheStreamAreAConfigurationError() {
    assertEquals(2, run("--keywords", "bitcoin"));
    assertTrue(err().contains("TWITTER_CONSUMER_KEY"), err());
  }

  @Test
  void aMissingCaptureFileIsNamed() {
    Path missing = dir.resolve("nope.jsonl");
    assertEquals(2, run("--keywords", "x", "--source", "file", "--input", missing.toString()));
    assertTrue(err().contains("no such file"), err());
  }

  @Test
  void theStatusFileEndsWithAFinalLineAndAnUnwritableOneIsAConfigurationError() throws Exception {
    Path capture = dir.resolve("capture.jsonl");
    Files.write(
        capture,
        Arrays.asList(StatusPipelineTest.BITCOIN, StatusPipelineTest.NONE),
        StandardCharsets.UTF_8);
    Path status = dir.resolve("status.jsonl");
    String[] args = {
      "--keywords",
      "bitcoin",
      "--source",
      "file",
      "--input",
      capture.toString(),
      "--dry.run",
      "--status.file",
      status.toString()
    };
    assertEquals(0, run(args), err());
    List<String> lines = Files.readAllLines(status, StandardCharsets.UTF_8);
    String last = lines.get(lines.size() - 1);
    assertTrue(last.contains("\"final\":true"), last);
    assertTrue(last.contains("\"statuses\":2,\"matched\":{\"bitcoin\":1},\"unmatched\":1"), last);

    Path missing = dir.resolve("no-such-dir");
    args[args.length - 1] = missing.resolve("status.jsonl").toString();
    err.reset();
    assertEquals(2, run(args));
    assertTrue(err().contains("error: Invalid value '" + args[args.length - 1] + "'"), err());
    assertTrue(
        err().contains("for configuration status.file: no such directory: " + missing), err());
  }
}
