package org.flowwatch.engine;

import static org.flowwatch.engine.EngineFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionsTest {
  private static final JsonNode STATE = json("""
      {'foo': 'bar', 'n': 7, 'x': 2.5, 'flag': true, 'none': null, 'items': ['a', 'b', 'c'],
       'object_val': {'sub_val1': 'embedded', 'deep': {'k': 3}},
       'source': {'path': '/data/run1217/'},
       '_context': {'run_id': 'run-1', 'username': 'alice'}}""");

  private static String eval(String expression) throws StateFailure {
    return ExpressionEvaluator.evaluate(expression, STATE).toString();
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "foo + ' ' + object_val.sub_val1 | \"bar embedded\"",
      "1 + 2 * 3 | 7",
      "(1 + 2) * 3 | 9",
      "n - 10 | -3",
      "n / 2 | 3.5",
      "n // 2 | 3",
      "-7 // 2 | -4",
      "n % 3 | 1",
      "-7 % 3 | 2",
      "x * 2 | 5.0",
      "items + ['d'] | [\"a\",\"b\",\"c\",\"d\"]",
      "items[0] | \"a\"",
      "items[-1] | \"c\"",
      "object_val['deep'].k | 3",
      "_context.run_id | \"run-1\"",
      "n > 5 | true",
      "1 < n <= 7 | true",
      "1 < n < 7 | false",
      "foo == 'bar' | true",
      "foo != 'bar' | false",
      "1 == 1.0 | true",
      "'a' < 'b' | true",
      "flag and n | 7",
      "none or 'fallback' | \"fallback\"",
      "not flag | false",
      "'b' in items | true",
      "'z' not in items | true",
      "'mbed' in object_val.sub_val1 | true",
      "'yes' if n > 5 else 'no' | \"yes\"",
      "str(n) + '!' | \"7!\"",
      "str(flag) | \"True\"",
      "str(none) | \"None\"",
      "int('42') + 1 | 43",
      "int(x) | 2",
      "float('1.5') | 1.5",
      "len(items) | 3",
      "len(foo) | 3",
      "pathsplit(source.path) | [\"/data\",\"run1217\"]",
      "pathsplit('/file') | [\"/\",\"file\"]",
      "pathsplit(source.path)[1] + '.tar' | \"run1217.tar\"",
      "is_present('object_val.deep.k') | true",
      "is_present('object_val.nothing') | false",
      "getattr('object_val.nothing', 'dflt') | \"dflt\"",
      "getattr('object_val.sub_val1', 'dflt') | \"embedded\"",
      "True | true",
      "None | null",
      "\"double quoted\" | \"double quoted\"",
  })
  void evaluatesLikePython(String expression, String expected) throws StateFailure {
    assertEquals(expected, eval(expression), expression);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "open('/etc/passwd') | the function 'open' is not one the local engine knows",
      "foo.upper() | calling a method ('.upper(...)')",
      "[c for c in items] | 'for'",
      "lambda: 1 | 'lambda'",
      "{'a': 1} | dict literals",
      "2 ** 8 | '**'",
      "items[0:1] | ':'",
      "1 + | ends where a value must come",
      "'open | never closes",
  })
  void refusesWhatIsOutsideTheSubsetNamingIt(String expression, String named) {
    ExpressionException e = assertThrows(ExpressionException.class, () -> Expression.parse(expression));
    assertTrue(e.getMessage().contains(named), e.getMessage());
    assertTrue(e.getMessage().contains(expression), e.getMessage());
  }

  @Test
  void aNameNotInTheStateFailsTheRunNamingIt() {
    StateFailure e = assertThrows(StateFailure.class, () -> eval("missing + 1"));
    assertEquals(StateFailure.RUNTIME, e.error());
    assertTrue(e.cause().contains("the name 'missing' is not in the state"), e.cause());
  }

  @Test
  void mixingAStringAndANumberSaysToUseStr() {
    StateFailure e = assertThrows(StateFailure.class, () -> eval("foo + n"));
    assertTrue(e.cause().contains("use str()"), e.cause());
  }

  @Test
  void getattrWithoutADefaultFailsWhenTheNameIsMissing() throws StateFailure {
    assertEquals("\"embedded\"", eval("getattr('object_val.sub_val1')"));
    StateFailure e = assertThrows(StateFailure.class, () -> eval("getattr('object_val.nothing')"));
    assertTrue(e.cause().contains("getattr('object_val.nothing') names nothing in the state"), e.cause());
  }

  @Test
  void divisionByZeroIsAFailureNotAnInfinity() {
    StateFailure e = assertThrows(StateFailure.class, () -> eval("n / 0"));
    assertTrue(e.cause().contains("division by zero"), e.cause());
  }
}
