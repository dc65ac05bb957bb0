from readiness.cli.entry import main

raise SystemExit(main())
