from doorstep.cli import main

main()
