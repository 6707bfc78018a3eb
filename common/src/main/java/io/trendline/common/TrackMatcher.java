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

  /** How many distinct words the keywords have. */
  private final int vocabularySize;

  /**
   * Every distinct word of every keyword (to its index, in {@link #wordIndex}), in an
   * open-addressing table, looked up by a range of a text read in lower case without making a
   * string of it: matching made a string (and a lower-cased one) of every token of every text, a
   * fifth of the producer's pipeline time.
   */
  private final String[] words;

  private final int[] wordIndex;

  /** For each keyword, the indexes of its words. */
  private final int[][] required;

  public TrackMatcher(KeywordList keywords) {
    this.keywords = keywords;
    this.required = new int[keywords.size()][];
    Map<String, Integer> vocabulary = new HashMap<>();
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
    vocabularySize = vocabulary.size();
    int size = Integer.highestOneBit(Math.max(8, vocabulary.size() * 4 - 1)) << 1;
    words = new String[size];
    wordIndex = new int[size];
    for (Map.Entry<String, Integer> e : vocabulary.entrySet()) {
      int slot = spread(e.getKey().hashCode()) & (size - 1);
      while (words[slot] != null) {
        slot = (slot + 1) & (size - 1);
      }
      words[slot] = e.getKey();
      wordIndex[slot] = e.getValue();
    }
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /**
   * The index of the word that is characters {@code [start, end)} of {@code text} with {@code A-Z}
   * read as {@code a-z}, or -1. (A word is a normalised token: lower case already, so reading its
   * own ASCII letters in lower case changes nothing, and its hash is the range's.)
   */
  private int lookup(String text, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + lower(text.charAt(i));
    }
    int mask = words.length - 1;
    int length = end - start;
    for (int slot = spread(h) & mask; words[slot] != null; slot = (slot + 1) & mask) {
      String w = words[slot];
      if (w.length() == length && sameLowered(w, text, start)) {
        return wordIndex[slot];
      }
    }
    return -1;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  private static boolean sameLowered(String word, String text, int start) {
    for (int i = 0; i < word.length(); i++) {
      if (word.charAt(i) != lower(text.charAt(start + i))) {
        return false;
      }
    }
    return true;
  }

  public KeywordList keywords() {
    return keywords;
  }

  /** The keywords {@code status} matches, in configured order; empty when none. */
  public List<Keyword> match(Status status) {
    boolean[] present = new boolean[vocabularySize];
    status.forEachMatchableText(text -> mark(text, present));
    return collect(present);
  }

  /** The keywords a plain piece of text matches, in configured order. */
  public List<Keyword> matchText(String text) {
    boolean[] present = new boolean[vocabularySize];
    mark(text, present);
    return collect(present);
  }

  private void mark(String text, boolean[] present) {
    Tokenizer.forEachTokenRange(
        text,
        (t, start, end, lowered) -> {
          int index = lookup(t, start, end);
          if (index >= 0) {
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
