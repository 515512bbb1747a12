from flerarsprognos.cli import main

main()
