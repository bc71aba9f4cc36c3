"""`python -m survey ...`: the same commands as the `survey` script."""

from survey.cli import main

if __name__ == "__main__":
    main()
