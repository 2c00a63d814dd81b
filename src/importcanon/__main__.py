from importcanon.cli import main

main()
