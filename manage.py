#!/usr/bin/env python
from congdoan.cli import main

if __name__ == "__main__":
    main()
