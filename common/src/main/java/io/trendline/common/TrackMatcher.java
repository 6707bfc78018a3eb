package io.trendline.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which keywords a status matches, with the semantics of Twitter's {@code track} parameter:
 * keywords are ORed; the words of a phrase are ANDed, in any order; comparison is by whole token,
 * case-insensitive, with punctuation ignored (see {@link Tokenizer}); the matched fields are those
 * of {@link Status#forEachMatchableText}. So {@code IoT} matches {@code #IoT} but not {@code idiot}
 * or {@code $MIOTA}, and {@code 5G} does not match {@code 5GHz}.
 *
 * <p>Immutable and thread-safe; each call allocates only its own scratch state.
 */
public final class TrackMatcher {
  private final KeywordList keywords;

  /** Every distinct word of every keyword, to its index. */
  private final Map<String, Integer> vocabulary = new HashMap<>();

  /** For each keyword, the indexes of its words. */
  private final int[][] required;

  public TrackMatcher(KeywordList keywords) {
    this.keywords = keywords;
    this.required = new int[keywords.size()][];
    for (int k = 0; k < keywords.size(); k++) {
      List<String> words = keywords.get(k).words();
      int[] indexes = new int[words.size()];
      for (int w = 0; w < words.size(); w++) {
        Integer index = vocabulary.get(words.get(w));
        if (index == null) {
          index = vocabulary.size();
          vocabulary.put(words.get(w), index);
        }
        indexes[w] = index;
      }
      required[k] = indexes;
    }
  }

  public KeywordList keywords() {
    return keywords;
  }

  /** The keywords {@code status} matches, in configured order; empty when none. */
  public List<Keyword> match(Status status) {
    boolean[] present = new boolean[vocabulary.size()];
    status.forEachMatchableText(text -> mark(text, present));
    return collect(present);
  }

  /** The keywords a plain piece of text matches, in configured order. */
  public List<Keyword> matchText(String text) {
    boolean[] present = new boolean[vocabulary.size()];
    mark(text, present);
    return collect(present);
  }

  private void mark(String text, boolean[] present) {
    Tokenizer.forEachToken(
        text,
        token -> {
          Integer index = vocabulary.get(token);
          if (index != null) {
            present[index] = true;
          }
        });
  }

  private List<Keyword> collect(boolean[] present) {
    List<Keyword> matched = null;
    for (int k = 0; k < required.length; k++) {
      if (allPresent(required[k], present)) {
        if (matched == null) {
          matched = new ArrayList<>(2);
        }
        matched.add(keywords.get(k));
      }
    }
    return matched == null ? Collections.emptyList() : matched;
  }

  private static boolean allPresent(int[] indexes, boolean[] present) {
    for (int index : indexes) {
      if (!present[index]) {
        return false;
      }
    }
    return true;
  }
}
