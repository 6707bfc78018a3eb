package io.trendline.bench;

import io.trendline.common.KeywordList;
import io.trendline.streamserver.SyntheticSource;
import java.util.ArrayList;
import java.util.List;

/** Realistic statuses (2 to 6 KB of v1.1 JSON) about the benchmark's keywords, reproducibly. */
public final class Corpus {
  public final List<String> statuses = new ArrayList<>();

  /** Per status, the keywords it matches under track semantics. */
  public final List<List<String>> keywords = new ArrayList<>();

  private Corpus() {}

  /**
   * {@code n} statuses; with {@code matchingOnly}, only those that match a keyword, as the filter
   * stream delivers them.
   */
  public static Corpus generate(String keywords, int n, long seed, boolean matchingOnly) {
    SyntheticSource source =
        SyntheticSource.builder(KeywordList.parse(keywords)).seed(seed).build();
    Corpus c = new Corpus();
    while (c.statuses.size() < n) {
      SyntheticSource.Generated g = source.generate();
      if (matchingOnly && g.keywords().isEmpty()) {
        continue;
      }
      List<String> terms = new ArrayList<>();
      g.keywords().forEach(k -> terms.add(k.term()));
      c.statuses.add(g.json());
      c.keywords.add(terms);
    }
    return c;
  }

  public long records() {
    long n = 0;
    for (List<String> k : keywords) {
      n += k.size();
    }
    return n;
  }

  public double averageBytes() {
    long bytes = 0;
    for (String s : statuses) {
      bytes += s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    return statuses.isEmpty() ? 0 : (double) bytes / statuses.size();
  }
}
