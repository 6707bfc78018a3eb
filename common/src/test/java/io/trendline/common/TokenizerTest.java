package io.trendline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TokenizerTest {
  @Test
  void theAsciiShortcutsAgreeWithUnicodesTables() {
    for (int cp = 0; cp < 0x80; cp++) {
      int type = Character.getType(cp);
      boolean unicode =
          Character.isLetterOrDigit(cp)
              || type == Character.NON_SPACING_MARK
              || type == Character.COMBINING_SPACING_MARK
              || type == Character.ENCLOSING_MARK;
      assertEquals(unicode, Tokenizer.isTokenChar(cp), "token char " + cp);
      Character.UnicodeScript script = Character.UnicodeScript.of(cp);
      Character.UnicodeScript definite =
          script == Character.UnicodeScript.COMMON || script == Character.UnicodeScript.INHERITED
              ? null
              : script;
      assertEquals(definite, Tokenizer.definiteScript(cp), "script of " + cp);
    }
  }

  @Test
  void mixedScriptsSplitWhereTheScriptChanges() {
    assertEquals(
        Arrays.asList("दूरस्थ", "btc", "प्रशिक्षण", "5g", "bitcoin's".substring(0, 7), "s"),
        Tokenizer.distinctTokens("दूरस्थBTCप्रशिक्षण 5G #Bitcoin's"));
    assertEquals(
        Arrays.asList("iot", "smart", "city"), Tokenizer.distinctTokens("IoT, smart-city!"));
  }
}
