from h2k.cli import main

main()
