package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.trendline.common.KeywordList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesSyncTest {
  private static final KeywordList KEYWORDS = KeywordList.parse("Ferry,lamp lit,#Skye");

  @Test
  void aKeywordBecomesARuleWithTrackSemantics() {
    assertEquals("ferry OR url:ferry", RulesSync.value(KEYWORDS.get(0)));
    assertEquals(
        "(lamp OR url:lamp) (lit OR url:lit)",
        RulesSync.value(KEYWORDS.get(1)),
        "a phrase's words, in any order, each in the text or a URL");
    assertEquals("skye OR url:skye", RulesSync.value(KEYWORDS.get(2)), "track ignored the #");
    assertEquals("trendline:lamp lit", RulesSync.tag(KEYWORDS.get(1)), "the term as configured");
  }

  @Test
  void thePlanTouchesOnlyOurRules() {
    List<XRules.Rule> existing =
        Arrays.asList(
            new XRules.Rule("1", "ferry OR url:ferry", "trendline:Ferry"),
            new XRules.Rule("2", "kayak OR url:kayak", "trendline:kayak"),
            new XRules.Rule("3", "lamp lit", "trendline:lamp lit"),
            new XRules.Rule("4", "ferry", "another-app"),
            new XRules.Rule("5", "ferry OR url:ferry", null),
            new XRules.Rule("6", "ferry OR url:ferry", "trendline:Ferry"));
    RulesSync.Plan p = RulesSync.plan(KEYWORDS, existing);
    assertEquals(Arrays.asList("1"), ids(p.keep));
    assertEquals(
        Arrays.asList("2", "3", "6"),
        ids(p.delete),
        "a keyword no longer wanted, an older translation, a second copy");
    assertEquals(Arrays.asList("4", "5"), ids(p.foreign), "untagged or others' rules");
    assertEquals(2, p.add.size());
    assertEquals("(lamp OR url:lamp) (lit OR url:lit)", p.add.get(0).value);
    assertEquals("trendline:lamp lit", p.add.get(0).tag);
    assertEquals("trendline:#Skye", p.add.get(1).tag);
    assertNull(p.add.get(1).id);
  }

  @Test
  void nothingToDoWhenTheRulesAreInPlace() {
    List<XRules.Rule> existing = new ArrayList<>();
    for (int i = 0; i < KEYWORDS.size(); i++) {
      existing.add(
          new XRules.Rule(
              "r" + i, RulesSync.value(KEYWORDS.get(i)), RulesSync.tag(KEYWORDS.get(i))));
    }
    RulesSync.Plan p = RulesSync.plan(KEYWORDS, existing);
    assertEquals(3, p.keep.size());
    assertEquals(0, p.add.size() + p.delete.size() + p.foreign.size());
  }

  @Test
  void theRuleMapFindsAKeywordByIdThenByOurTag() {
    RulesSync.RuleMap map = new RulesSync.RuleMap(KEYWORDS);
    map.put("9", KEYWORDS.get(1));
    assertEquals("lamp lit", map.keyword("9", "anything").term());
    assertEquals("Ferry", map.keyword("unknown", "trendline:Ferry").term());
    assertNull(map.keyword("unknown", "another-app"));
    assertNull(map.keyword(null, null));
    assertEquals(1, map.size());
  }

  private static List<String> ids(List<XRules.Rule> rules) {
    List<String> out = new ArrayList<>();
    for (XRules.Rule r : rules) {
      out.add(r.id);
    }
    return out;
  }
}
