package io.trendline.common;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Splits text into the tokens Twitter's track matching compared: maximal runs of letters, digits
 * and combining marks (so Devanagari and other scripts with vowel signs stay whole), broken on
 * punctuation, symbols, emoji and white space, NFKC-normalised (full-width forms fold) and
 * lower-cased with {@link Locale#ROOT}. So {@code #Bitcoin}, {@code Bitcoin's} and {@code
 * bitcoin.org} all yield the token {@code bitcoin}, while {@code $MIOTA} yields {@code miota} and
 * {@code 5GHz} yields {@code 5ghz}. Stateless and thread-safe.
 */
public final class Tokenizer {
  private Tokenizer() {}

  static boolean isTokenChar(int cp) {
    if (cp < 0x80) {
      // Most characters of most statuses: no Unicode table needed.
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** Calls {@code sink} with every normalised token of {@code text}, in order. */
  public static void forEachToken(String text, Consumer<String> sink) {
    forEachTokenRange(
        text,
        (t, start, end, lowered) ->
            sink.accept(lowered ? t : t.substring(start, end).toLowerCase(Locale.ROOT)));
  }

  /** Receives tokens without a string made of each where that can be helped. */
  interface TokenSink {
    /**
     * A token: characters {@code [start, end)} of {@code text}. When {@code lowered}, they are the
     * whole of {@code text} and the token as it is; else they are ASCII and the token is the range
     * lower-cased, i.e. with {@code A-Z} read as {@code a-z}.
     */
    void token(String text, int start, int end, boolean lowered);
  }

  /**
   * {@link #forEachToken}'s tokens as ranges: no string is made of an ASCII token (most of the
   * tokens statuses are matched on, in ASCII text or not); the others are lower-cased as strings.
   */
  static void forEachTokenRange(String text, TokenSink sink) {
    if (isAscii(text)) {
      split(text, true, sink);
    } else {
      // NFKC first: it can turn one character into several, some of them separators.
      split(Normalizer.normalize(text, Normalizer.Form.NFKC), false, sink);
    }
  }

  /** The distinct normalised tokens of {@code text}, in order of first appearance. */
  static List<String> distinctTokens(String text) {
    Set<String> tokens = new LinkedHashSet<>();
    forEachToken(text, tokens::add);
    return new ArrayList<>(tokens);
  }

  private static void split(String text, boolean ascii, TokenSink sink) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      int cp = ascii ? text.charAt(i) : text.codePointAt(i);
      if (!isTokenChar(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      Character.UnicodeScript script = ascii ? null : definiteScript(cp);
      boolean asciiToken = cp < 0x80;
      i += Character.charCount(cp);
      while (i < n) {
        cp = ascii ? text.charAt(i) : text.codePointAt(i);
        if (!isTokenChar(cp)) {
          break;
        }
        asciiToken &= cp < 0x80;
        if (!ascii) {
          // A change of script ends a token too: "दूरस्थBTCप्रशिक्षण" holds the token "btc".
          Character.UnicodeScript next = definiteScript(cp);
          if (next != null) {
            if (script != null && next != script) {
              break;
            }
            script = next;
          }
        }
        i += Character.charCount(cp);
      }
      if (asciiToken) {
        // (Lower-casing ASCII with Locale.ROOT is A-Z to a-z, which the sink does as it reads.)
        sink.token(text, start, i, false);
      } else {
        String token = text.substring(start, i).toLowerCase(Locale.ROOT);
        sink.token(token, 0, token.length(), true);
      }
    }
  }

  /** The script of a letter; null for digits, marks and other characters shared by scripts. */
  static Character.UnicodeScript definiteScript(int cp) {
    if (cp < 0x80) {
      // (Without the binary search of Unicode's script table.)
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')
          ? Character.UnicodeScript.LATIN
          : null;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.COMMON || script == Character.UnicodeScript.INHERITED
        ? null
        : script;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
