from thematic.cli import main

main()
