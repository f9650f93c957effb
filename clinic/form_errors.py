from django.core.exceptions import ValidationError


def add_errors(form, error: ValidationError) -> None:
    """Put a rule's or a service's ValidationError next to the field it is about; errors
    about no field of this form go to the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
