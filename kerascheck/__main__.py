from kerascheck.cli import main

main()
