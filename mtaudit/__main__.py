"""``python -m mtaudit``: the same command line as the ``mtaudit`` script."""

from .cli import main

if __name__ == "__main__":
    main()
