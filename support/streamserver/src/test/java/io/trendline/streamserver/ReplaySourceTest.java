package io.trendline.streamserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplaySourceTest {
  @TempDir Path dir;

  private Path capture(String... lines) throws IOException {
    Path f = dir.resolve("capture.jsonl");
    Files.write(f, Arrays.asList(lines), StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void skipsBlankLinesAndKeepsTheRestAsIs() throws IOException {
    Path f = capture(Fixtures.status(1, "a"), "", "   ", "not json {", Fixtures.limit(2));
    try (ReplaySource s = ReplaySource.open(f, false)) {
      assertEquals(Fixtures.status(1, "a"), s.next());
      assertEquals("not json {", s.next());
      assertEquals(Fixtures.limit(2), s.next());
      assertNull(s.next());
      assertNull(s.next());
    }
  }

  @Test
  void loopsForever() throws IOException {
    Path f = capture("", "one", "two");
    try (ReplaySource s = ReplaySource.open(f, true)) {
      for (int i = 0; i < 3; i++) {
        assertEquals("one", s.next());
        assertEquals("two", s.next());
      }
      assertTrue(s.passes() >= 2);
    }
    try (ReplaySource empty = ReplaySource.open(capture("", ""), true)) {
      assertNull(empty.next(), "a loop over nothing ends");
    }
  }

  @Test
  void aMissingFileIsNamed() {
    IOException e =
        assertThrows(IOException.class, () -> ReplaySource.open(dir.resolve("nope.jsonl"), false));
    assertTrue(e.getMessage().contains("nope.jsonl"));
  }
}
