package org.flowwatch.input;

import java.util.Optional;
import java.util.regex.Pattern;
import org.everit.json.schema.FormatValidator;

/**
 * The string formats Globus flow schemas use that draft 7 does not define. everit silently ignores a
 * format it does not know, so without these a bad endpoint id would pass.
 */
final class SchemaFormats {
  // Any version: FRIB's NERSC collection 9d6d994a-6d04-11e5-ba46-22000b92c6ec is a version 1 UUID.
  // Upper case is accepted, as Python's jsonschema (UUID() plus dash positions) accepts it.
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private SchemaFormats() {}

  static boolean isUuid(String s) {
    return UUID.matcher(s).matches();
  }

  static String notAUuid(String s) {
    return "[" + s + "] is not a valid uuid";
  }

  /** The message for a value where a Globus collection object belongs; worded like everit's type errors. */
  static String notACollection(String foundType) {
    return "expected type: object, found: " + foundType;
  }

  static final FormatValidator UUID_FORMAT = new FormatValidator() {
    @Override
    public Optional<String> validate(String subject) {
      return isUuid(subject) ? Optional.empty() : Optional.of(notAUuid(subject));
    }

    @Override
    public String formatName() {
      return "uuid";
    }
  };

  /**
   * everit applies formats to strings only, and a string is never a Globus collection (it is an object
   * {@code {"id", "path"}}); objects are checked by {@link GlobusCollectionCheck}. The message equals
   * the one everit gives when the schema also says {@code "type": "object"}, so it is reported once.
   */
  static final FormatValidator GLOBUS_COLLECTION_FORMAT = new FormatValidator() {
    @Override
    public Optional<String> validate(String subject) {
      return Optional.of(notACollection("string"));
    }

    @Override
    public String formatName() {
      return "globus-collection";
    }
  };
}
