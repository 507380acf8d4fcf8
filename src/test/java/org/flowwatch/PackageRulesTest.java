package org.flowwatch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Holds the package rules of design.md: one concern per package, no cycles, nothing imports cli. */
class PackageRulesTest {
  private static final Map<String, List<String>> MAY_USE = Map.ofEntries(
      Map.entry("text", List.of()),
      Map.entry("config", List.of("text")),
      Map.entry("run", List.of("config", "text")),
      Map.entry("input", List.of("config", "run", "text")),
      Map.entry("ledger", List.of("config", "text")),
      Map.entry("globus", List.of("config", "text")),
      Map.entry("notify", List.of("config", "ledger", "globus", "text")),
      Map.entry("watch", List.of("config", "run", "input", "ledger", "globus", "notify", "ops", "text")),
      Map.entry("ops", List.of("config", "ledger", "text")),
      Map.entry("flow", List.of("config", "globus", "input", "text")),
      Map.entry("engine", List.of("config", "flow", "text")),
      Map.entry("local", List.of("config", "engine", "globus", "text")),
      Map.entry("check", List.of("config", "flow", "globus", "text")));

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.flowwatch");
  }

  @Test
  void nothingImportsTheCli() {
    noClasses().that().resideOutsideOfPackage("org.flowwatch.cli..")
        .should().dependOnClassesThat().resideInAPackage("org.flowwatch.cli..")
        .allowEmptyShould(true).check(classes);
  }

  @Test
  void eachPackageUsesOnlyWhatDesignAllows() {
    MAY_USE.forEach((pkg, allowed) -> {
      List<String> forbidden = MAY_USE.keySet().stream()
          .filter(other -> !other.equals(pkg) && !allowed.contains(other))
          .map(other -> "org.flowwatch." + other + "..")
          .toList();
      noClasses().that().resideInAPackage("org.flowwatch." + pkg + "..")
          .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
          .allowEmptyShould(true).check(classes);
    });
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.flowwatch.(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(classes);
  }
}
