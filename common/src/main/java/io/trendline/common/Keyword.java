package io.trendline.common;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

/**
 * One track term, as Twitter's {@code statuses/filter} accepted it: a word or a phrase of several
 * words (matched in any order), at most {@value #MAX_BYTES} UTF-8 bytes.
 *
 * <p>{@link #term()} is the term exactly as configured (trimmed); it is the Kafka record key, so
 * what the operator typed is what the dashboards show. {@link #words()} are its normalised tokens,
 * compared with the tokens of a status by {@link TrackMatcher}. Two keywords are equal when their
 * words are equal. Immutable and thread-safe.
 */
public final class Keyword {
  /** Twitter rejected track terms longer than this many UTF-8 bytes. */
  public static final int MAX_BYTES = 60;

  private final String term;
  private final List<String> words;

  private Keyword(String term, List<String> words) {
    this.term = term;
    this.words = words;
  }

  /**
   * Parses one term.
   *
   * @throws IllegalArgumentException naming the term and what is wrong with it
   */
  public static Keyword of(String term) {
    if (term == null) {
      throw new IllegalArgumentException("a keyword must not be null");
    }
    String trimmed = term.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("a keyword must not be empty");
    }
    int bytes = trimmed.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "keyword '" + trimmed + "' is " + bytes + " bytes long; at most " + MAX_BYTES);
    }
    List<String> words = Tokenizer.distinctTokens(trimmed);
    if (words.isEmpty()) {
      throw new IllegalArgumentException(
          "keyword '" + trimmed + "' has no letters or digits, so it can never match");
    }
    return new Keyword(trimmed, Collections.unmodifiableList(words));
  }

  /** The term as configured, trimmed: the Kafka record key. */
  public String term() {
    return term;
  }

  /** The normalised words that must all occur in a status, in any order. */
  public List<String> words() {
    return words;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Keyword && ((Keyword) o).words.equals(words);
  }

  @Override
  public int hashCode() {
    return words.hashCode();
  }

  @Override
  public String toString() {
    return term;
  }
}
