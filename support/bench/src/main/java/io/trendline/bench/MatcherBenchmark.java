package io.trendline.bench;

import io.trendline.common.KeywordList;
import io.trendline.common.Status;
import io.trendline.common.StreamMessage;
import io.trendline.common.TrackMatcher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One status per operation, from a corpus of 2,000 generated statuses (matching, near-miss and
 * unmatched ones): the producer's work (parse and track-match), the track match alone on a parsed
 * status, and the naive substring search of the raw JSON.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MatcherBenchmark {
  private List<String> raw;
  private List<byte[]> bytes;
  private List<Status> parsed;
  private TrackMatcher matcher;
  private String[] lowerKeywords;
  private int next;

  @Setup
  public void setUp() {
    Corpus corpus = Corpus.generate(Bench.KEYWORDS, 2_000, 7, false);
    raw = corpus.statuses;
    bytes = new ArrayList<>();
    for (String s : raw) {
      bytes.add(s.getBytes(StandardCharsets.UTF_8));
    }
    parsed = new ArrayList<>();
    for (String s : raw) {
      parsed.add(StreamMessage.parse(s).status());
    }
    matcher = new TrackMatcher(KeywordList.parse(Bench.KEYWORDS));
    String[] keywords = Bench.KEYWORDS.split(",");
    lowerKeywords = new String[keywords.length];
    for (int i = 0; i < keywords.length; i++) {
      lowerKeywords[i] = keywords[i].toLowerCase(Locale.ROOT);
    }
  }

  private int index() {
    int i = next;
    next = i + 1 == raw.size() ? 0 : i + 1;
    return i;
  }

  /** As the producer reads a message: from the bytes received. */
  @Benchmark
  public Object parseAndMatch() {
    return matcher.match(
        StreamMessage.parse(bytes.get(index()), StreamMessage.DEFAULT_MAX_BYTES).status());
  }

  @Benchmark
  public Object matchParsed() {
    return matcher.match(parsed.get(index()));
  }

  @Benchmark
  public int substring() {
    String lower = raw.get(index()).toLowerCase(Locale.ROOT);
    int found = 0;
    for (String k : lowerKeywords) {
      if (lower.contains(k)) {
        found++;
      }
    }
    return found;
  }
}
