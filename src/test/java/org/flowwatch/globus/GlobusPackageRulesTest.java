package org.flowwatch.globus;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Holds the lines design.md draws around this package: one subpackage per service over a small HTTP
 * core, which uses none of them; a service uses the core, and Flows, Compute and Transfer use Auth for tokens
 * and scopes, nothing else.
 */
class GlobusPackageRulesTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.flowwatch");

  private static final String CORE = "org.flowwatch.globus";

  /** Each service subpackage, and the other services it may use besides the core. */
  private static final Map<String, List<String>> SERVICE_MAY_USE = Map.of(
      "auth", List.of(),
      "flows", List.of("auth"),
      "compute", List.of("auth"),
      "transfer", List.of("auth"));

  private static final String[] WIRE_SUFFIXES = {"Request", "Response", "Api"};

  @Test
  void globusUsesNoFlowwatchPackageButConfig() {
    noClasses().that().resideInAPackage("org.flowwatch.globus..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.flowwatch.cli..", "org.flowwatch.run..", "org.flowwatch.input..", "org.flowwatch.watch..",
            "org.flowwatch.ledger..", "org.flowwatch.flow..")
        .check(MAIN);
  }

  @Test
  void everyClassIsInTheCoreOrAServiceWithRules() {
    String[] known = SERVICE_MAY_USE.keySet().stream().map(GlobusPackageRulesTest::service).toArray(String[]::new);
    classes().that().resideInAPackage("org.flowwatch.globus..").and().resideOutsideOfPackage(CORE)
        .should().resideInAnyPackage(known)
        .because("a new service subpackage needs its line in SERVICE_MAY_USE")
        .check(MAIN);
  }

  @Test
  void theCoreUsesNoService() {
    String[] services = SERVICE_MAY_USE.keySet().stream().map(GlobusPackageRulesTest::service).toArray(String[]::new);
    noClasses().that().resideInAPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(services)
        .check(MAIN);
  }

  @Test
  void eachServiceUsesOnlyTheCoreAndTheServicesAllowed() {
    SERVICE_MAY_USE.forEach((service, allowed) -> {
      String[] forbidden = SERVICE_MAY_USE.keySet().stream()
          .filter(other -> !other.equals(service) && !allowed.contains(other))
          .map(GlobusPackageRulesTest::service)
          .toArray(String[]::new);
      noClasses().that().resideInAPackage(service(service))
          .should().dependOnClassesThat().resideInAnyPackage(forbidden)
          .check(MAIN);
    });
  }

  @Test
  void wireTypesStayInsideThePackage() {
    for (String suffix : WIRE_SUFFIXES) {
      classes().that().resideInAPackage("org.flowwatch.globus..").and().haveSimpleNameEndingWith(suffix)
          .should().notBePublic()
          .check(MAIN);
    }
  }

  @Test
  void wireTypesStayInTheirServiceSubpackage() {
    String[] services = SERVICE_MAY_USE.keySet().stream().map(GlobusPackageRulesTest::service).toArray(String[]::new);
    for (String suffix : WIRE_SUFFIXES) {
      classes().that().resideInAPackage("org.flowwatch.globus..").and().haveSimpleNameEndingWith(suffix)
          .should().resideInAnyPackage(services).andShould(BE_USED_ONLY_IN_THEIR_OWN_PACKAGE)
          .check(MAIN);
    }
  }

  @Test
  void onlyTheCallLoopHandlesRetrofitResponses() {
    noClasses().that().resideInAPackage("org.flowwatch.globus..")
        .and().doNotHaveFullyQualifiedName(CORE + ".ApiCaller")
        .and().doNotHaveFullyQualifiedName(CORE + ".HttpFailure")
        .should().dependOnClassesThat().haveFullyQualifiedName("retrofit2.Response")
        .check(MAIN);
    noClasses().that().resideOutsideOfPackage("org.flowwatch.globus..")
        .should().dependOnClassesThat().resideInAnyPackage("retrofit2..", "okhttp3..")
        .check(MAIN);
  }

  /** A wire DTO or Retrofit interface is seen only by the client beside it, never by another service. */
  private static final ArchCondition<JavaClass> BE_USED_ONLY_IN_THEIR_OWN_PACKAGE =
      new ArchCondition<>("be used only in their own package") {
        @Override
        public void check(JavaClass wire, ConditionEvents events) {
          for (Dependency use : wire.getDirectDependenciesToSelf()) {
            if (!use.getOriginClass().getPackageName().equals(wire.getPackageName())) {
              events.add(SimpleConditionEvent.violated(use, use.getDescription()));
            }
          }
        }
      };

  private static String service(String name) {
    return CORE + "." + name + "..";
  }
}
