package io.trendline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void aLineThroughPointsOnItIsThatLine() {
    double[] l = Stats.line(Arrays.asList(24_000, 96_000, 336_000), Arrays.asList(110, 254, 734));
    assertEquals(62.0, l[0], 1e-9);
    assertEquals(0.002, l[1], 1e-12);
  }

  @Test
  void aLineThroughScatteredPointsIsTheLeastSquaresOne() {
    double[] l = Stats.line(Arrays.asList(1, 2, 3, 4), Arrays.asList(2, 1, 4, 3));
    // Least squares through (1,2) (2,1) (3,4) (4,3): slope 0.6, intercept 1.
    assertEquals(1.0, l[0], 1e-9);
    assertEquals(0.6, l[1], 1e-9);
  }

  @Test
  void noLineWithoutTwoDistinctXs() {
    double[] l = Stats.line(Arrays.asList(5, 5), Arrays.asList(1, 2));
    assertTrue(Double.isNaN(l[0]) && Double.isNaN(l[1]));
    assertTrue(
        Double.isNaN(
            Stats.line(Collections.<Integer>emptyList(), Collections.<Integer>emptyList())[1]));
  }

  @Test
  void xsAndYsMustPair() {
    assertThrows(
        IllegalArgumentException.class, () -> Stats.line(Arrays.asList(1, 2), Arrays.asList(1)));
  }
}
