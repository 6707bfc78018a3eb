package io.trendline.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The validated list of track terms, in configured order, as Twitter's {@code track} parameter
 * accepted it: at most {@value #MAX_KEYWORDS} terms, none empty, none listed twice (compared by
 * their normalised words, so {@code Bitcoin} and {@code bitcoin} are the same term). Immutable.
 */
public final class KeywordList implements Iterable<Keyword> {
  /** Twitter's limit on track terms for one connection. */
  public static final int MAX_KEYWORDS = 400;

  private final List<Keyword> keywords;

  private KeywordList(List<Keyword> keywords) {
    this.keywords = keywords;
  }

  /** Parses a comma-separated list, as the {@code track} parameter is written. */
  public static KeywordList parse(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.trim().isEmpty()) {
      throw new IllegalArgumentException("the keyword list is empty; give at least one keyword");
    }
    List<String> terms = new ArrayList<>();
    for (String term : commaSeparated.split(",", -1)) {
      terms.add(term);
    }
    return of(terms);
  }

  /**
   * Validates a list of terms.
   *
   * @throws IllegalArgumentException naming the first offending term
   */
  public static KeywordList of(List<String> terms) {
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("the keyword list is empty; give at least one keyword");
    }
    if (terms.size() > MAX_KEYWORDS) {
      throw new IllegalArgumentException(
          terms.size() + " keywords given; Twitter tracks at most " + MAX_KEYWORDS);
    }
    List<Keyword> parsed = new ArrayList<>(terms.size());
    Map<Keyword, Keyword> seen = new HashMap<>();
    for (int i = 0; i < terms.size(); i++) {
      Keyword keyword;
      try {
        keyword = Keyword.of(terms.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("keyword " + (i + 1) + ": " + e.getMessage(), e);
      }
      Keyword earlier = seen.put(keyword, keyword);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "keyword '" + keyword.term() + "' is listed twice (also as '" + earlier.term() + "')");
      }
      parsed.add(keyword);
    }
    return new KeywordList(Collections.unmodifiableList(parsed));
  }

  public List<Keyword> asList() {
    return keywords;
  }

  public int size() {
    return keywords.size();
  }

  public Keyword get(int index) {
    return keywords.get(index);
  }

  /** The terms as configured, comma-separated: the value of the {@code track} parameter. */
  public String trackParameter() {
    StringBuilder sb = new StringBuilder();
    for (Keyword k : keywords) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(k.term());
    }
    return sb.toString();
  }

  /** The configured terms. */
  public List<String> terms() {
    List<String> terms = new ArrayList<>(keywords.size());
    for (Keyword k : keywords) {
      terms.add(k.term());
    }
    return terms;
  }

  @Override
  public Iterator<Keyword> iterator() {
    return keywords.iterator();
  }

  @Override
  public String toString() {
    return trackParameter();
  }
}
