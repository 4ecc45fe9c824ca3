from django import template

from chibo.core.audit import ChangeLine, change_lines

register = template.Library()


@register.filter
def bootstrap(field):
    """Render a form field's widget with Bootstrap's classes (and the invalid state)."""
    widget = field.field.widget
    css = "form-check-input" if getattr(widget, "input_type", "") == "checkbox" else "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def audit_lines(changes) -> list[ChangeLine]:
    """An audit entry's changes as lines to show (core.audit.change_lines)."""
    return change_lines(changes)
