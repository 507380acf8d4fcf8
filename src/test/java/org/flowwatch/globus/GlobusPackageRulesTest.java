package org.flowwatch.globus;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Holds the lines design.md draws around this package. */
class GlobusPackageRulesTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.flowwatch");

  @Test
  void globusUsesNoFlowwatchPackageButConfig() {
    noClasses().that().resideInAPackage("org.flowwatch.globus..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.flowwatch.cli..", "org.flowwatch.run..", "org.flowwatch.input..", "org.flowwatch.watch..",
            "org.flowwatch.ledger..", "org.flowwatch.flow..")
        .check(MAIN);
  }

  @Test
  void wireTypesStayInsideThePackage() {
    for (String suffix : new String[] {"Request", "Response", "Api"}) {
      classes().that().resideInAPackage("org.flowwatch.globus..").and().haveSimpleNameEndingWith(suffix)
          .should().notBePublic()
          .check(MAIN);
    }
  }

  @Test
  void onlyTheCallLoopHandlesRetrofitResponses() {
    noClasses().that().resideInAPackage("org.flowwatch.globus")
        .and().doNotHaveSimpleName("ApiCaller").and().doNotHaveSimpleName("HttpFailure")
        .should().dependOnClassesThat().haveFullyQualifiedName("retrofit2.Response")
        .check(MAIN);
    noClasses().that().resideOutsideOfPackage("org.flowwatch.globus..")
        .should().dependOnClassesThat().resideInAnyPackage("retrofit2..", "okhttp3..")
        .check(MAIN);
  }
}
