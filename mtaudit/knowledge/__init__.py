"""What the checks know: reference tables and their schema, senses, termbase, house style, user rules, fitted confidence."""
