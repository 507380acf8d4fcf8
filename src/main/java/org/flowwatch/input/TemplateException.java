package org.flowwatch.input;

/**
 * A template cannot be rendered: a placeholder names an unknown fact or an unset environment variable,
 * a format does not fit the value, or the braces are unbalanced. The message says where in the template
 * (a JSON pointer into the input template, or {@code flow.label} / {@code flow.tags[i]}), which
 * placeholder, and what to write instead.
 */
public class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }

  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
