package io.trendline.streamserver;

import io.trendline.common.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One filtered-stream rule, parsed: this server's subset of X's rule syntax, checked as X checks
 * it, and matched against a {@link V2Post}.
 *
 * <ul>
 *   <li>Words are keywords, matched by token, case-insensitively, in the post's text and the text
 *       of the post it retweets or quotes ({@code coca-cola} is the phrase "coca cola").
 *   <li>{@code "exact phrase"}: the tokens in that order in one text.
 *   <li>{@code #tag}, {@code $tag}, {@code @user}: a hashtag, cashtag, mention of the post.
 *   <li>{@code url:word}, {@code from:user}, {@code lang:xx}, {@code is:retweet|quote|reply},
 *       {@code has:hashtags|cashtags|mentions|links}.
 *   <li>Juxtaposition is AND, {@code OR} (upper case) is OR, AND binds tighter; {@code (...)}
 *       groups; a leading {@code -} negates.
 * </ul>
 *
 * Rejected as X rejects them: an empty rule, one longer than the length limit, unbalanced quotes or
 * parentheses, an {@code OR} with nothing on one side, a rule (or group) of negations only, a rule
 * of only operators that cannot stand alone ({@code lang:}, {@code is:}, {@code has:}), a negated
 * group, an unknown operator. Immutable and thread-safe.
 */
final class Rule {
  /** Why a rule was refused: X's problem type ({@code invalid-rules}, {@code rule-length}). */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    final String type;

    Invalid(String detail) {
      this("invalid-rules", detail);
    }

    Invalid(String type, String detail) {
      super(detail);
      this.type = type;
    }
  }

  private interface Node {
    boolean matches(V2Post post);

    /** Whether the node alone may be a rule (has a positive clause that is not a modifier). */
    boolean standalone();

    /** Whether it has a positive (non-negated) clause at all. */
    boolean positive();
  }

  /** The {@code is:} and {@code has:} operators understood here. */
  private static final Set<String> MODIFIERS =
      new HashSet<>(
          Arrays.asList(
              "is:retweet",
              "is:quote",
              "is:reply",
              "has:hashtags",
              "has:cashtags",
              "has:mentions",
              "has:links"));

  private final String value;
  private final Node root;

  private Rule(String value, Node root) {
    this.value = value;
    this.root = root;
  }

  /**
   * Parses and checks a rule value.
   *
   * @param maxLength the access level's rule length limit, in characters
   * @throws Invalid saying what X would say is wrong with it
   */
  static Rule parse(String value, int maxLength) throws Invalid {
    if (value == null || value.trim().isEmpty()) {
      throw new Invalid("Rules must contain a non-empty value.");
    }
    if (value.length() > maxLength) {
      throw new Invalid(
          "rule-length",
          "Rule length is "
              + value.length()
              + " characters; the limit for this stream is "
              + maxLength
              + ".");
    }
    Parser p = new Parser(tokens(value));
    Node root = p.or();
    if (p.pos < p.tokens.size()) {
      throw new Invalid("There are unbalanced parentheses in this rule.");
    }
    if (!root.positive()) {
      throw new Invalid("Rules must contain a non-negation term (at position 1).");
    }
    if (!root.standalone()) {
      throw new Invalid(
          "Rules must contain at least one positive, non-stand-alone clause (at position 1).");
    }
    return new Rule(value, root);
  }

  String value() {
    return value;
  }

  boolean matches(V2Post post) {
    return root.matches(post);
  }

  // ---- Lexing ----

  /** Tokens: "(", ")", "OR", quoted phrases (with their quotes), and other runs of non-space. */
  private static List<String> tokens(String value) throws Invalid {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = value.length();
    while (i < n) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        out.add(String.valueOf(c));
        i++;
      } else {
        int start = i;
        boolean negated = c == '-';
        if (negated) {
          i++;
        }
        if (i < n && value.charAt(i) == '"') {
          int close = value.indexOf('"', i + 1);
          if (close < 0) {
            throw new Invalid("There are unbalanced quotes in this rule.");
          }
          i = close + 1;
        } else {
          while (i < n
              && !Character.isWhitespace(value.charAt(i))
              && value.charAt(i) != '('
              && value.charAt(i) != ')') {
            if (value.charAt(i) == '"') {
              // A quoted value inside a token: url:"tides.example".
              int close = value.indexOf('"', i + 1);
              if (close < 0) {
                throw new Invalid("There are unbalanced quotes in this rule.");
              }
              i = close;
            }
            i++;
          }
        }
        out.add(value.substring(start, i));
      }
    }
    return out;
  }

  // ---- Parsing ----

  /** Deeper nesting is refused (and the parser's recursion stays bounded). */
  static final int MAX_DEPTH = 20;

  private static final class Parser {
    final List<String> tokens;
    int pos;
    int depth;

    Parser(List<String> tokens) {
      this.tokens = tokens;
    }

    Node or() throws Invalid {
      List<Node> alternatives = new ArrayList<>();
      alternatives.add(and());
      while (pos < tokens.size() && tokens.get(pos).equals("OR")) {
        pos++;
        if (pos >= tokens.size() || tokens.get(pos).equals(")") || tokens.get(pos).equals("OR")) {
          throw new Invalid("Ambiguous use of OR: it needs a clause on each side.");
        }
        alternatives.add(and());
      }
      return alternatives.size() == 1 ? alternatives.get(0) : new Or(alternatives);
    }

    Node and() throws Invalid {
      List<Node> parts = new ArrayList<>();
      while (pos < tokens.size()) {
        String t = tokens.get(pos);
        if (t.equals(")")) {
          break;
        }
        if (t.equals("OR")) {
          if (parts.isEmpty()) {
            throw new Invalid("Ambiguous use of OR: it needs a clause on each side.");
          }
          break;
        }
        parts.add(unary());
      }
      if (parts.isEmpty()) {
        throw new Invalid("There are unbalanced parentheses in this rule.");
      }
      boolean anyPositive = false;
      for (Node part : parts) {
        anyPositive |= part.positive();
      }
      if (!anyPositive) {
        throw new Invalid("Rules must contain a non-negation term (at position 1).");
      }
      return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    Node unary() throws Invalid {
      String t = tokens.get(pos);
      if (t.equals("(")) {
        if (++depth > MAX_DEPTH) {
          throw new Invalid("Groups are nested more than " + MAX_DEPTH + " deep.");
        }
        pos++;
        Node inner = or();
        expect(")");
        depth--;
        return inner;
      }
      if (t.equals("-")) {
        if (pos + 1 < tokens.size() && tokens.get(pos + 1).equals("(")) {
          throw new Invalid("A group cannot be negated: negate each of its terms instead.");
        }
        throw new Invalid("A lone '-' negates nothing.");
      }
      if (t.startsWith("-")) {
        if (t.startsWith("--")) {
          throw new Invalid("A term can be negated once: " + t);
        }
        pos++;
        return new Not(atom(t.substring(1)));
      }
      pos++;
      return atom(t);
    }

    private void expect(String t) throws Invalid {
      if (pos >= tokens.size() || !tokens.get(pos).equals(t)) {
        throw new Invalid("There are unbalanced parentheses in this rule.");
      }
      pos++;
    }
  }

  private static Node atom(String t) throws Invalid {
    if (t.startsWith("\"")) {
      List<String> words = words(t.substring(1, t.length() - 1));
      if (words.isEmpty()) {
        throw new Invalid("An exact phrase must hold at least one word: " + t);
      }
      return new Phrase(words);
    }
    char first = t.charAt(0);
    if (first == '#' || first == '$' || first == '@') {
      String name = t.substring(1).toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw new Invalid("'" + first + "' must be followed by a name.");
      }
      return new Entity(first, name);
    }
    int colon = t.indexOf(':');
    if (colon > 0) {
      String op = t.substring(0, colon);
      String arg = t.substring(colon + 1);
      if (arg.startsWith("\"") && arg.endsWith("\"") && arg.length() >= 2) {
        arg = arg.substring(1, arg.length() - 1);
      }
      if (arg.isEmpty()) {
        throw new Invalid("The operator '" + op + ":' needs a value.");
      }
      switch (op) {
        case "url":
          return new Url(words(arg));
        case "from":
          return new Modifier(op, arg.toLowerCase(Locale.ROOT), true);
        case "lang":
          return new Modifier(op, arg.toLowerCase(Locale.ROOT), false);
        case "is":
        case "has":
          if (!MODIFIERS.contains(op + ":" + arg)) {
            throw new Invalid("Reference to invalid operator '" + op + ":" + arg + "'.");
          }
          return new Modifier(op, arg, false);
        default:
          throw new Invalid("Reference to invalid operator '" + op + ":'.");
      }
    }
    List<String> words = words(t);
    if (words.isEmpty()) {
      throw new Invalid("'" + t + "' has no letters or digits to match.");
    }
    return words.size() == 1 ? new Word(words.get(0)) : new Phrase(words);
  }

  private static List<String> words(String s) {
    List<String> words = new ArrayList<>();
    Tokenizer.forEachToken(s, words::add);
    return words;
  }

  // ---- Nodes ----

  private abstract static class Positive implements Node {
    @Override
    public boolean standalone() {
      return true;
    }

    @Override
    public boolean positive() {
      return true;
    }
  }

  private static final class Word extends Positive {
    final String word;

    Word(String word) {
      this.word = word;
    }

    @Override
    public boolean matches(V2Post post) {
      return post.words.contains(word);
    }
  }

  private static final class Phrase extends Positive {
    final List<String> words;

    Phrase(List<String> words) {
      this.words = words;
    }

    @Override
    public boolean matches(V2Post post) {
      for (List<String> text : post.texts) {
        if (Collections.indexOfSubList(text, words) >= 0) {
          return true;
        }
      }
      return false;
    }
  }

  private static final class Url extends Positive {
    final List<String> words;

    Url(List<String> words) {
      this.words = words;
    }

    @Override
    public boolean matches(V2Post post) {
      return !words.isEmpty() && post.urlWords.containsAll(words);
    }
  }

  private static final class Entity extends Positive {
    final char sigil;
    final String name;

    Entity(char sigil, String name) {
      this.sigil = sigil;
      this.name = name;
    }

    @Override
    public boolean matches(V2Post post) {
      switch (sigil) {
        case '#':
          return post.hashtags.contains(name);
        case '$':
          return post.cashtags.contains(name);
        default:
          return post.mentions.contains(name);
      }
    }
  }

  /** An operator; {@code lang:} and {@code is:} cannot be a rule on their own. */
  private static final class Modifier implements Node {
    final String op;
    final String arg;
    final boolean standalone;

    Modifier(String op, String arg, boolean standalone) {
      this.op = op;
      this.arg = arg;
      this.standalone = standalone;
    }

    @Override
    public boolean matches(V2Post post) {
      switch (op) {
        case "from":
          return arg.equals(post.author);
        case "lang":
          return arg.equals(post.lang);
        default:
          switch (arg) {
            case "retweet":
              return post.retweet;
            case "quote":
              return post.quote;
            case "reply":
              return post.reply;
            case "hashtags":
              return !post.hashtags.isEmpty();
            case "cashtags":
              return !post.cashtags.isEmpty();
            case "mentions":
              return !post.mentions.isEmpty();
            default:
              return !post.urlWords.isEmpty();
          }
      }
    }

    @Override
    public boolean standalone() {
      return standalone;
    }

    @Override
    public boolean positive() {
      return true;
    }
  }

  private static final class Not implements Node {
    final Node inner;

    Not(Node inner) {
      this.inner = inner;
    }

    @Override
    public boolean matches(V2Post post) {
      return !inner.matches(post);
    }

    @Override
    public boolean standalone() {
      return false;
    }

    @Override
    public boolean positive() {
      return false;
    }
  }

  private static final class And implements Node {
    final List<Node> parts;

    And(List<Node> parts) {
      this.parts = parts;
    }

    @Override
    public boolean matches(V2Post post) {
      for (Node n : parts) {
        if (!n.matches(post)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean standalone() {
      for (Node n : parts) {
        if (n.standalone()) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean positive() {
      for (Node n : parts) {
        if (n.positive()) {
          return true;
        }
      }
      return false;
    }
  }

  private static final class Or implements Node {
    final List<Node> alternatives;

    Or(List<Node> alternatives) {
      this.alternatives = alternatives;
    }

    @Override
    public boolean matches(V2Post post) {
      for (Node n : alternatives) {
        if (n.matches(post)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean standalone() {
      for (Node n : alternatives) {
        if (!n.standalone()) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean positive() {
      for (Node n : alternatives) {
        if (!n.positive()) {
          return false;
        }
      }
      return true;
    }
  }
}
